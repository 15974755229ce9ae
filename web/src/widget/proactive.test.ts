import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { WidgetTrigger } from '../shared/api-types';
import { planTriggers, TriggerSchedule } from './proactive';

const trigger = (id: string, seconds: number): WidgetTrigger => ({ id, message: `text ${id}`, persona: 'Служба поддержки', time_on_site_seconds: seconds });

describe('planTriggers', () => {
  it('waits what is left of each trigger\'s time on site, none when it is past', () => {
    expect(planTriggers([trigger('a', 25), trigger('b', 5), trigger('c', 40)], 10)).toEqual([
      { trigger: trigger('b', 5), delayMs: 0 },
      { trigger: trigger('a', 25), delayMs: 15_000 },
      { trigger: trigger('c', 40), delayMs: 30_000 },
    ]);
  });

  it('keeps the server\'s order between triggers due at the same time', () => {
    expect(planTriggers([trigger('x', 3), trigger('y', 1), trigger('z', 2)], 5).map((p) => p.trigger.id)).toEqual(['x', 'y', 'z']);
    expect(planTriggers([], 0)).toEqual([]);
  });
});

describe('TriggerSchedule', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function make(over: { canShow?: () => boolean; claim?: (t: WidgetTrigger) => Promise<boolean> } = {}) {
    const claimed: string[] = [];
    const shown: string[] = [];
    const schedule = new TriggerSchedule({
      canShow: over.canShow ?? (() => true),
      claim: async (t) => {
        claimed.push(t.id);
        return over.claim ? over.claim(t) : true;
      },
      show: (t) => shown.push(t.id),
    });
    return { schedule, claimed, shown };
  }

  it('shows the first due trigger when it falls due, and no other after it', async () => {
    const { schedule, claimed, shown } = make();
    schedule.start([trigger('late', 30), trigger('early', 12)], 10);
    await vi.advanceTimersByTimeAsync(1_999);
    expect(claimed).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(claimed).toEqual(['early']);
    expect(shown).toEqual(['early']);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(claimed).toEqual(['early']);
    expect(schedule.waiting()).toEqual([]);
  });

  it('shows at once a trigger whose time has passed', async () => {
    const { schedule, shown } = make();
    schedule.start([trigger('now', 25)], 120);
    await vi.advanceTimersByTimeAsync(0);
    expect(shown).toEqual(['now']);
  });

  it('lets a trigger go without asking the server while it cannot show (an open dialog), then tries the next', async () => {
    let open = true;
    const { schedule, claimed, shown } = make({ canShow: () => !open });
    schedule.start([trigger('a', 1), trigger('b', 5)], 0);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(claimed).toEqual([]);
    open = false;
    await vi.advanceTimersByTimeAsync(4_000);
    expect(claimed).toEqual(['b']);
    expect(shown).toEqual(['b']);
  });

  it('shows nothing for a refused claim (409: seen in another tab) and moves on to the next', async () => {
    const { schedule, claimed, shown } = make({ claim: async (t) => t.id !== 'a' });
    schedule.start([trigger('a', 0), trigger('b', 3)], 0);
    await vi.advanceTimersByTimeAsync(0);
    expect(claimed).toEqual(['a']);
    expect(shown).toEqual([]);
    await vi.advanceTimersByTimeAsync(3_000);
    expect(shown).toEqual(['b']);
  });

  it('treats a failed claim like a refusal', async () => {
    const { schedule, shown } = make({ claim: () => Promise.reject(new Error('offline')) });
    schedule.start([trigger('a', 0)], 0);
    await vi.advanceTimersByTimeAsync(0);
    expect(shown).toEqual([]);
  });

  it('does not show a claim answered after stop, nor one he can no longer see', async () => {
    let answer: (ok: boolean) => void = () => {};
    const { schedule, shown } = make({ claim: () => new Promise<boolean>((done) => (answer = done)) });
    schedule.start([trigger('a', 0)], 0);
    await vi.advanceTimersByTimeAsync(0);
    schedule.stop();
    answer(true);
    await vi.advanceTimersByTimeAsync(0);
    expect(shown).toEqual([]);

    let canShow = true;
    const second = make({ canShow: () => canShow, claim: () => new Promise<boolean>((done) => (answer = done)) });
    second.schedule.start([trigger('b', 0), trigger('c', 1)], 0);
    await vi.advanceTimersByTimeAsync(0);
    canShow = false; // he wrote while the claim was on its way
    answer(true);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(second.shown).toEqual([]);
    expect(second.schedule.waiting()).toEqual([]);
  });
});
