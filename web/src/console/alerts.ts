/**
 * Getting the operator's attention: which socket events deserve a sound or a desktop
 * notification (`decideAlert`, pure) and its words (`notificationText`), the operator's
 * settings (`Attention`), and the browser parts that make them (`WebAudioTones`,
 * `BrowserNotifier`). No audio files: the two tones are synthesised with the Web Audio API.
 *
 * What stays true: an operator whose presence is offline is never disturbed; a desktop
 * notification is shown only after he asked for them (a click on "enable notifications").
 */
import type { DialogView, MessageView, Presence, ServerFrame, SlaTarget } from '../shared/api-types';
import type { Translate } from '../shared/i18n';
import { visitorName } from '../shared/names';
import { local } from '../shared/storage';
import type { ConsoleKey } from './i18n';
import { isQueued } from './queue';

/** `dialog`: a new or waiting dialog (two rising notes); `message`: a visitor wrote (one note). */
export type Tone = 'dialog' | 'message';

export type NotifyKind = 'new_dialog' | 'waiting' | 'assigned' | 'message' | 'mention' | 'sla_breached';

export interface Alert {
  tone: Tone;
  /** A desktop notification to show (when enabled), or null for the sound alone. */
  notify: { kind: NotifyKind; dialog: DialogView; message?: MessageView; target?: SlaTarget } | null;
}

export interface AlertContext {
  meId: string | null;
  presence: Presence;
  /** The dialog on screen, and whether the tab is visible and focused. */
  selectedId: string | null;
  visible: boolean;
  /** The console's version of the dialog before this frame. */
  held: DialogView | undefined;
  /** Dialogs the operator is accepting or being handed right now by his own action. */
  acting: ReadonlySet<string>;
}

const mine = (d: DialogView | undefined, meId: string | null) => !!d && !!meId && d.assignee?.id === meId;

/** What, if anything, a frame should sound and show. */
export function decideAlert(frame: ServerFrame, ctx: AlertContext): Alert | null {
  if (ctx.presence === 'offline') return null;
  switch (frame.type) {
    case 'dialog.created': {
      const d = frame.dialog;
      if (d.status !== 'open' || !(isQueued(d) || mine(d, ctx.meId))) return null;
      return { tone: 'dialog', notify: ctx.visible ? null : { kind: 'new_dialog', dialog: d } };
    }
    case 'dialog.waiting':
      if (frame.dialog.status !== 'open' || !isQueued(frame.dialog)) return null;
      return { tone: 'dialog', notify: { kind: 'waiting', dialog: frame.dialog } };
    case 'dialog.updated': {
      const d = frame.dialog;
      // Handed to him by auto-assignment, a transfer or a supervisor; not his own accept.
      if (d.status !== 'open' || !mine(d, ctx.meId) || mine(ctx.held, ctx.meId) || ctx.acting.has(d.id)) return null;
      return { tone: 'dialog', notify: ctx.visible ? null : { kind: 'assigned', dialog: d } };
    }
    case 'message.created': {
      const m = frame.message;
      const d = ctx.held;
      // The first message comes with dialog.created, which has sounded already.
      if (m.author.kind !== 'visitor' || m.seq <= 1 || !d || d.status !== 'open') return null;
      if (!(mine(d, ctx.meId) || isQueued(d))) return null;
      if (ctx.visible && ctx.selectedId === d.id) return null;
      return { tone: 'message', notify: ctx.visible ? null : { kind: 'message', dialog: d, message: m } };
    }
    case 'mention':
      // The in-app note shows it in any case; the desktop one only when he is not looking.
      return { tone: 'message', notify: ctx.visible ? null : { kind: 'mention', dialog: frame.dialog, message: frame.message } };
    case 'sla.breached':
      // The server sends it only to whom it concerns; like a long wait, it sounds the alarm.
      return { tone: 'dialog', notify: ctx.visible ? null : { kind: 'sla_breached', dialog: frame.dialog, target: frame.target } };
    default:
      return null;
  }
}

/** The notes of each tone: frequency (Hz) and start (s after now). */
export const TONES: Record<Tone, readonly (readonly [number, number])[]> = {
  dialog: [
    [660, 0],
    [880, 0.16],
  ],
  message: [[740, 0]],
};

/**
 * Short sine tones. Browsers keep an AudioContext suspended until the page gets a gesture,
 * so `unlock()` is called from the first click or key press.
 */
export class WebAudioTones {
  private ctx: AudioContext | null = null;

  private context(): AudioContext | null {
    if (this.ctx) return this.ctx;
    const Ctor = (globalThis as { AudioContext?: typeof AudioContext }).AudioContext;
    if (!Ctor) return null;
    try {
      this.ctx = new Ctor();
    } catch {
      return null;
    }
    return this.ctx;
  }

  unlock(): void {
    const ctx = this.context();
    if (ctx?.state === 'suspended') void ctx.resume().catch(() => {});
  }

  play(tone: Tone): void {
    const ctx = this.context();
    if (!ctx) return;
    if (ctx.state === 'suspended') void ctx.resume().catch(() => {});
    for (const [frequency, at] of TONES[tone]) {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.type = 'sine';
      osc.frequency.value = frequency;
      const t0 = ctx.currentTime + at;
      gain.gain.setValueAtTime(0.0001, t0);
      gain.gain.exponentialRampToValueAtTime(0.18, t0 + 0.015);
      gain.gain.exponentialRampToValueAtTime(0.0001, t0 + 0.14);
      osc.connect(gain).connect(ctx.destination);
      osc.start(t0);
      osc.stop(t0 + 0.16);
    }
  }
}

export type NotificationPermissionState = NotificationPermission | 'unsupported';

/** Desktop notifications through the Notification API. */
export class BrowserNotifier {
  permission(): NotificationPermissionState {
    return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
  }

  async request(): Promise<NotificationPermissionState> {
    if (typeof Notification === 'undefined') return 'unsupported';
    try {
      return await Notification.requestPermission();
    } catch {
      return Notification.permission;
    }
  }

  show(title: string, body: string, tag: string, onClick: () => void): void {
    if (this.permission() !== 'granted') return;
    try {
      const n = new Notification(title, { body, tag });
      n.onclick = () => {
        window.focus();
        onClick();
        n.close();
      };
    } catch {
      // Some browsers allow notifications only from a service worker: the sound still plays.
    }
  }
}

/** What the console state needs from the browser to alert; tests pass a recorder. */
export interface Alerter {
  play(tone: Tone): void;
  unlock(): void;
  permission(): NotificationPermissionState;
  request(): Promise<NotificationPermissionState>;
  show(title: string, body: string, tag: string, onClick: () => void): void;
}

export function browserAlerter(): Alerter {
  const tones = new WebAudioTones();
  const notifier = new BrowserNotifier();
  return {
    play: (tone) => tones.play(tone),
    unlock: () => tones.unlock(),
    permission: () => notifier.permission(),
    request: () => notifier.request(),
    show: (title, body, tag, onClick) => notifier.show(title, body, tag, onClick),
  };
}

/** The title and body of a desktop notification, in the console's language. */
export function notificationText(notify: NonNullable<Alert['notify']>, t: Translate<ConsoleKey>): { title: string; body: string } {
  const { kind, dialog, message } = notify;
  const name = visitorName(dialog.visitor, t('visitor.numbered'));
  if (kind === 'sla_breached') {
    const title =
      notify.target === 'resolution' ? t('notify.sla_resolution') : notify.target === 'next_reply' ? t('notify.sla_next_reply') : t('notify.sla_first_reply');
    const preview = dialog.last_message?.preview?.trim();
    return { title, body: `${t('dialog.number', { n: dialog.number })} · ${preview ? `${name}: ${preview}` : name}` };
  }
  if (kind === 'mention') {
    const who = message?.author.name?.trim();
    const body = (message?.body ?? '').trim();
    return { title: t('notify.mention_title', { n: dialog.number }), body: who ? `${who}: ${body}` : body || name };
  }
  const title =
    kind === 'waiting'
      ? t('notify.waiting_title')
      : kind === 'assigned'
        ? t('notify.assigned_title')
        : kind === 'message'
          ? t('notify.message_title', { name })
          : t('notify.new_dialog_title');
  const text = kind === 'message' ? message?.body ?? '' : dialog.last_message ? `${name}: ${dialog.last_message.preview}` : '';
  return { title, body: text.trim() || name };
}

const SOUND_KEY = 'frontline.console.sound';
const NOTIFY_KEY = 'frontline.console.notifications';

/**
 * The operator's alert settings (sound on or off, desktop notifications wanted), kept in
 * localStorage, and carrying out an alert with them.
 */
export class Attention {
  soundOn: boolean;
  /** The operator asked for desktop notifications (they show only while permission is granted). */
  notifyWanted: boolean;
  permission: NotificationPermissionState;

  constructor(
    private readonly alerter: Alerter,
    private readonly changed: () => void,
  ) {
    this.soundOn = local.get(SOUND_KEY) !== 'off';
    this.notifyWanted = local.get(NOTIFY_KEY) === 'on';
    this.permission = alerter.permission();
  }

  toggleSound(): void {
    this.soundOn = !this.soundOn;
    local.set(SOUND_KEY, this.soundOn ? 'on' : 'off');
    if (this.soundOn) this.alerter.unlock();
    this.changed();
  }

  /** The operator's click on "enable notifications": asks the browser, remembers the wish. */
  async enableNotifications(): Promise<void> {
    this.alerter.unlock();
    this.permission = await this.alerter.request();
    this.notifyWanted = this.permission === 'granted';
    local.set(NOTIFY_KEY, this.notifyWanted ? 'on' : 'off');
    this.changed();
  }

  disableNotifications(): void {
    this.notifyWanted = false;
    local.set(NOTIFY_KEY, 'off');
    this.changed();
  }

  notificationsOn(): boolean {
    return this.notifyWanted && this.permission === 'granted';
  }

  /** The page got a click or a key: browsers let sound play from now on. */
  unlock(): void {
    this.alerter.unlock();
  }

  /** Plays the alert's tone and shows its notification, as the settings allow. */
  perform(alert: Alert, t: Translate<ConsoleKey>, openDialog: (id: string) => void): void {
    if (this.soundOn) this.alerter.play(alert.tone);
    if (!alert.notify || !this.notificationsOn()) return;
    const { title, body } = notificationText(alert.notify, t);
    const id = alert.notify.dialog.id;
    this.alerter.show(title, body, `frontline-${id}`, () => openDialog(id));
  }
}
