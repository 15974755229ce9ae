/**
 * A tiny observable for app controllers: components subscribe and re-render on `changed()`.
 * Controllers keep plain mutable data; the version number is what tells Preact to redraw.
 */
import { useEffect, useState } from 'preact/hooks';

export class Observable {
  private listeners = new Set<() => void>();
  version = 0;
  private scheduled = false;

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Announces a change; several changes in one task cause one redraw. */
  changed(): void {
    this.version++;
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      for (const l of [...this.listeners]) l();
    });
  }
}

/** Re-renders the calling component whenever `source` changes. */
export function useObservable(source: Observable): number {
  const [, setVersion] = useState(source.version);
  useEffect(() => source.subscribe(() => setVersion(source.version)), [source]);
  return source.version;
}

/**
 * Re-renders the calling component whenever one of `sources` changes, and for nothing else.
 * A call site passes the same sources, in the same order, on every render.
 */
export function useObservables(sources: readonly Observable[]): void {
  const [, redraw] = useState(0);
  const seen = sources.map((s) => s.version);
  useEffect(() => {
    const bump = () => redraw((n) => n + 1);
    const offs = sources.map((s) => s.subscribe(bump));
    // A change between the render and this subscription would otherwise go unseen.
    if (sources.some((s, i) => s.version !== seen[i])) bump();
    return () => {
      for (const off of offs) off();
    };
  }, sources);
}

/** The current time, refreshed every `everyMs`, for relative ages. */
export function useNow(everyMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(id);
  }, [everyMs]);
  return now;
}

/** `flag`, but turning true only after it has stayed true for `ms` (no flash of "offline"). */
export function useSettledFlag(flag: boolean, ms = 1500): boolean {
  const [settled, setSettled] = useState(false);
  useEffect(() => {
    if (!flag) {
      setSettled(false);
      return;
    }
    const id = setTimeout(() => setSettled(true), ms);
    return () => clearTimeout(id);
  }, [flag, ms]);
  return flag && settled;
}
