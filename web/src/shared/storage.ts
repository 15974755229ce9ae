/** localStorage/sessionStorage that never throws (blocked third-party storage, private modes). */
function safe(kind: 'localStorage' | 'sessionStorage') {
  const memory = new Map<string, string>();
  const area = (): Storage | null => {
    try {
      return globalThis[kind] ?? null;
    } catch {
      return null;
    }
  };
  return {
    get(key: string): string | null {
      try {
        const v = area()?.getItem(key);
        if (v !== undefined && v !== null) return v;
      } catch {
        // fall through to memory
      }
      return memory.get(key) ?? null;
    },
    set(key: string, value: string): void {
      memory.set(key, value);
      try {
        area()?.setItem(key, value);
      } catch {
        // memory keeps it for this page
      }
    },
    remove(key: string): void {
      memory.delete(key);
      try {
        area()?.removeItem(key);
      } catch {
        // nothing to do
      }
    },
  };
}

export const local = safe('localStorage');
export const session = safe('sessionStorage');
