/**
 * Telegram bots (admins, docs/telegram.md): connecting a bot by its token, the list of bots with
 * their switch, and each bot's document — the greeting, the hand-over and time-out texts in
 * Russian and English, the idle limit, and the topics with their questions — as the form holds
 * it, checked the way the server checks it and sent back whole (`PATCH …/bots/{id}`,
 * `settings`). The controller (`TelegramState`) speaks to `/api/v1/telegram/bots`.
 *
 * What stays true: a field is named as the server names it (`settings.topics[1].key`,
 * `settings.idle_minutes`), so the console's own check and the server's `validation_failed`
 * land beside the same input; a document read and saved unchanged is sent back equal; the
 * token never stays in this controller.
 */
import type { Requester } from '../../shared/api';
import type { components } from '../../shared/api-schema.gen';
import type { Items } from '../../shared/api-types';
import type { Translate } from '../../shared/i18n';
import { Observable } from '../../shared/store';
import type { Problem } from '../console-state';
import type { ConsoleKey } from '../i18n';
import { withSaved } from './controllers';
import { placeField, type FieldIssue } from './field-issues';
import { issueText } from './issue-text';
import { serverIssue } from './server-issues';

type T = Translate<ConsoleKey>;
type Schemas = components['schemas'];

// ---- the wire --------------------------------------------------------------------------------

/** A connected bot as admins see it (never its token). */
export type BotView = Schemas['BotView'];
export type BotConnectRequest = Schemas['BotConnectRequest'];
export type BotPatchRequest = Schemas['BotPatchRequest'];

/** How the server reads the bot's updates: `polling` or `webhook` (another word: shown as it is). */
export type BotMode = 'polling' | 'webhook';

/** A text in both languages of the bot. */
export interface Texts {
  ru: string;
  en: string;
}

export interface TopicDoc {
  key: string;
  title: Texts;
  /** Where its chats go; null: the bot's channel. */
  channel_id: string | null;
  questions: Texts[];
}

/** A bot's document (`BotView.settings`, typed by the API as an open object). */
export interface BotSettings {
  greeting: Texts;
  handed_over: Texts;
  timed_out: Texts;
  idle_minutes: number;
  topics: TopicDoc[];
}

/** The server's defaults, for what a stored document leaves out. */
export const DEFAULT_SETTINGS: BotSettings = {
  greeting: { ru: 'Здравствуйте! Выберите, пожалуйста, тему обращения.', en: 'Hello! Please choose what your question is about.' },
  handed_over: {
    ru: 'Спасибо! Передаём ваш вопрос оператору, он скоро ответит здесь.',
    en: 'Thank you! We are passing your question to an operator, who will answer here soon.',
  },
  timed_out: {
    ru: 'Мы не дождались ответа и закрыли обращение. Напишите /start, чтобы начать снова.',
    en: 'We did not hear back and closed the request. Send /start to begin again.',
  },
  idle_minutes: 30,
  topics: [],
};

/** The server's limits (docs/telegram.md). */
export const LIMITS = {
  text: 1000,
  title: 64,
  question: 500,
  key: 24,
  topics: 20,
  questions: 5,
  idleMin: 1,
  idleMax: 1440,
} as const;

export const TEXT_FIELDS = ['greeting', 'handed_over', 'timed_out'] as const;
export type TextField = (typeof TEXT_FIELDS)[number];
export const LANGS = ['ru', 'en'] as const;
export type TextLang = (typeof LANGS)[number];

/** A bot token as BotFather gives it: `123456789:AA…` (the server's own check). */
export const TOKEN_SHAPE = /^[0-9]{1,20}:[A-Za-z0-9_-]{20,100}$/;
export const KEY_SHAPE = /^[a-z0-9_-]{1,24}$/;

const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const str = (v: unknown, fallback = ''): string => (typeof v === 'string' ? v : fallback);

function readTexts(v: unknown, fallback: Texts = { ru: '', en: '' }): Texts {
  const o = obj(v);
  return { ru: str(o.ru, fallback.ru), en: str(o.en, fallback.en) };
}

/** A stored document with the server's defaults for whatever it lacks (read leniently). */
export function readSettings(raw: unknown): BotSettings {
  const o = obj(raw);
  const d = DEFAULT_SETTINGS;
  const idle = typeof o.idle_minutes === 'number' && Number.isFinite(o.idle_minutes) ? o.idle_minutes : d.idle_minutes;
  const topics = Array.isArray(o.topics) ? o.topics : [];
  return {
    greeting: 'greeting' in o ? readTexts(o.greeting, d.greeting) : { ...d.greeting },
    handed_over: 'handed_over' in o ? readTexts(o.handed_over, d.handed_over) : { ...d.handed_over },
    timed_out: 'timed_out' in o ? readTexts(o.timed_out, d.timed_out) : { ...d.timed_out },
    idle_minutes: idle,
    topics: topics.map((t) => {
      const x = obj(t);
      return {
        key: str(x.key),
        title: readTexts(x.title),
        channel_id: typeof x.channel_id === 'string' && x.channel_id ? x.channel_id : null,
        questions: (Array.isArray(x.questions) ? x.questions : []).map((q) => readTexts(q)),
      };
    }),
  };
}

/** A topic a routing rule may ask for: its key, and its title in the console's language. */
export interface TopicChoice {
  key: string;
  title: string;
  /** Another topic has the same title: show the key beside it to tell them apart. */
  sameTitle: boolean;
}

/**
 * The topics of the workspace's bots, for a routing rule's Telegram condition: one per key (a
 * rule on a key holds for every bot's topic of that key), in the bots' and topics' order,
 * titled in `lang` (else the other language, else the key).
 */
export function topicChoices(bots: readonly BotView[], lang: TextLang): TopicChoice[] {
  const byKey = new Map<string, TopicChoice>();
  for (const bot of bots) {
    for (const topic of readSettings(bot.settings).topics) {
      const key = topic.key.trim();
      if (!key || byKey.has(key)) continue;
      const other = lang === 'ru' ? topic.title.en : topic.title.ru;
      byKey.set(key, { key, title: topic.title[lang].trim() || other.trim() || key, sameTitle: false });
    }
  }
  const choices = [...byKey.values()];
  for (const c of choices) c.sameTitle = choices.some((o) => o !== c && o.title === c.title);
  return choices;
}

// ---- the form ---------------------------------------------------------------------------------

let counter = 0;
const nextId = () => `tg${++counter}`;

export interface QuestionDraft {
  /** The row's own key for the list (not sent). */
  id: string;
  ru: string;
  en: string;
}

export interface TopicDraft {
  id: string;
  key: string;
  title: Texts;
  /** '' is the bot's channel. */
  channel_id: string;
  questions: QuestionDraft[];
}

export interface BotDraft {
  greeting: Texts;
  handed_over: Texts;
  timed_out: Texts;
  /** As typed. */
  idle_minutes: string;
  topics: TopicDraft[];
  /** The bot's own channel (where topics without one send their chats). */
  channel_id: string;
}

export function botDraft(bot: BotView): BotDraft {
  const s = readSettings(bot.settings);
  return {
    greeting: { ...s.greeting },
    handed_over: { ...s.handed_over },
    timed_out: { ...s.timed_out },
    idle_minutes: String(s.idle_minutes),
    topics: s.topics.map((t) => ({
      id: nextId(),
      key: t.key,
      title: { ...t.title },
      channel_id: t.channel_id ?? '',
      questions: t.questions.map((q) => ({ id: nextId(), ru: q.ru, en: q.en })),
    })),
    channel_id: bot.channel_id,
  };
}

/** The server's name of each field of the form. */
export const FIELD = {
  token: 'token',
  channel: 'channel_id',
  settings: 'settings',
  text: (f: TextField) => `settings.${f}`,
  textLang: (f: TextField, l: TextLang) => `settings.${f}.${l}`,
  idle: 'settings.idle_minutes',
  topics: 'settings.topics',
  topic: (i: number) => `settings.topics[${i}]`,
  key: (i: number) => `settings.topics[${i}].key`,
  title: (i: number) => `settings.topics[${i}].title`,
  titleLang: (i: number, l: TextLang) => `settings.topics[${i}].title.${l}`,
  topicChannel: (i: number) => `settings.topics[${i}].channel_id`,
  questions: (i: number) => `settings.topics[${i}].questions`,
  question: (i: number, j: number) => `settings.topics[${i}].questions[${j}]`,
  questionLang: (i: number, j: number, l: TextLang) => `settings.topics[${i}].questions[${j}].${l}`,
} as const;

/** The paths the editor shows a message beside (inputs and the groups around them). */
export function botAnchors(d: BotDraft): Set<string> {
  const set = new Set<string>([FIELD.channel, FIELD.idle, FIELD.topics]);
  for (const f of TEXT_FIELDS) {
    set.add(FIELD.text(f));
    for (const l of LANGS) set.add(FIELD.textLang(f, l));
  }
  d.topics.forEach((t, i) => {
    set.add(FIELD.topic(i));
    set.add(FIELD.key(i));
    set.add(FIELD.title(i));
    set.add(FIELD.topicChannel(i));
    set.add(FIELD.questions(i));
    for (const l of LANGS) set.add(FIELD.titleLang(i, l));
    t.questions.forEach((_, j) => {
      set.add(FIELD.question(i, j));
      for (const l of LANGS) set.add(FIELD.questionLang(i, j, l));
    });
  });
  return set;
}

/** A whole number from its input, or null. */
export function wholeNumber(text: string): number | null {
  const s = text.trim();
  return /^\d{1,9}$/.test(s) ? Number(s) : null;
}

export type SettingsResult = { ok: true; settings: BotSettings } | { ok: false; issues: FieldIssue[] };

/** The document to send, or every field the console refuses (named as the server names them). */
export function settingsRequest(d: BotDraft): SettingsResult {
  const issues: FieldIssue[] = [];
  const texts = (field: (l: TextLang) => string, t: Texts, max: number): Texts => {
    const out = { ru: t.ru.trim(), en: t.en.trim() };
    for (const l of LANGS) {
      const n = [...out[l]].length;
      if (n === 0) issues.push({ field: field(l), reason: 'required' });
      else if (n > max) issues.push({ field: field(l), reason: 'too_long', max });
    }
    return out;
  };
  const greeting = texts((l) => FIELD.textLang('greeting', l), d.greeting, LIMITS.text);
  const handed_over = texts((l) => FIELD.textLang('handed_over', l), d.handed_over, LIMITS.text);
  const timed_out = texts((l) => FIELD.textLang('timed_out', l), d.timed_out, LIMITS.text);
  const idle = wholeNumber(d.idle_minutes);
  if (idle === null) issues.push({ field: FIELD.idle, reason: 'whole_number' });
  else if (idle < LIMITS.idleMin || idle > LIMITS.idleMax) issues.push({ field: FIELD.idle, reason: 'range', min: LIMITS.idleMin, max: LIMITS.idleMax });
  if (d.topics.length > LIMITS.topics) issues.push({ field: FIELD.topics, reason: 'too_many', max: LIMITS.topics });
  const seen = new Set<string>();
  const topics: TopicDoc[] = d.topics.map((t, i) => {
    const key = t.key.trim();
    if (!key) issues.push({ field: FIELD.key(i), reason: 'required' });
    else if (!KEY_SHAPE.test(key)) issues.push({ field: FIELD.key(i), reason: 'slug' });
    else if (seen.has(key)) issues.push({ field: FIELD.key(i), reason: 'duplicate' });
    seen.add(key);
    const title = texts((l) => FIELD.titleLang(i, l), t.title, LIMITS.title);
    if (t.questions.length > LIMITS.questions) issues.push({ field: FIELD.questions(i), reason: 'too_many', max: LIMITS.questions });
    const questions = t.questions.map((q, j) => texts((l) => FIELD.questionLang(i, j, l), q, LIMITS.question));
    return { key, title, channel_id: t.channel_id || null, questions };
  });
  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, settings: { greeting, handed_over, timed_out, idle_minutes: idle ?? 0, topics } };
}

/**
 * Whether the form differs from the bot as loaded: its document (as it would be sent) or its
 * channel. A form that does not pass the checks counts as changed.
 */
export function draftChanged(bot: BotView, d: BotDraft): boolean {
  if (d.channel_id !== bot.channel_id) return true;
  const now = settingsRequest(d);
  const was = settingsRequest(botDraft(bot));
  if (!now.ok || !was.ok) return true;
  return JSON.stringify(now.settings) !== JSON.stringify(was.settings);
}

/** What "Save" sends: the whole document, and the bot's channel when it changed. */
export function botPatch(bot: BotView, d: BotDraft, settings: BotSettings): BotPatchRequest {
  const patch: BotPatchRequest = { settings: settings as unknown as Record<string, unknown> };
  if (d.channel_id && d.channel_id !== bot.channel_id) patch.channel_id = d.channel_id;
  return patch;
}

/** A key for a new topic that no other topic has: `topic_1`, `topic_2`… */
export function freshKey(topics: readonly { key: string }[]): string {
  const taken = new Set(topics.map((t) => t.key.trim()));
  for (let n = topics.length + 1; ; n++) if (!taken.has(`topic_${n}`)) return `topic_${n}`;
}

export function newTopic(topics: readonly TopicDraft[]): TopicDraft {
  return { id: nextId(), key: freshKey(topics), title: { ru: '', en: '' }, channel_id: '', questions: [] };
}

export function newQuestion(): QuestionDraft {
  return { id: nextId(), ru: '', en: '' };
}

/** The list with item `i` moved by `by` (−1 up, +1 down); unchanged at either end. */
export function moveItem<X>(list: readonly X[], i: number, by: -1 | 1): X[] {
  const j = i + by;
  if (i < 0 || i >= list.length || j < 0 || j >= list.length) return [...list];
  const out = [...list];
  [out[i], out[j]] = [out[j], out[i]];
  return out;
}

// ---- refusals in the console's words ------------------------------------------------------------

/** The token's refusal as the server words it (`details.field == "token"`), read for its cause. */
export type TokenTrouble = 'shape' | 'unknown' | 'refused' | 'connected' | 'required';

export function tokenTrouble(problem: Problem | null): TokenTrouble | null {
  if (!problem || problem.code !== 'validation_failed' || problem.details.field !== 'token') return null;
  const m = (problem.message ?? '').toLowerCase();
  if (/connected already|already/.test(m)) return 'connected';
  if (/does not know/.test(m)) return 'unknown';
  if (/refused/.test(m)) return 'refused';
  if (/not a bot token|shape/.test(m)) return 'shape';
  return 'unknown';
}

const TOKEN_TEXT: Record<TokenTrouble, ConsoleKey> = {
  shape: 'telegram.token_shape',
  unknown: 'telegram.token_unknown',
  refused: 'telegram.token_refused',
  connected: 'telegram.token_connected',
  required: 'issue.required',
};

export function tokenText(t: T, trouble: TokenTrouble): string {
  return t(TOKEN_TEXT[trouble]);
}

/** The token as typed, checked before Telegram is asked (the server checks the same). */
export function tokenCheck(token: string): TokenTrouble | null {
  const s = token.trim();
  if (!s) return 'required';
  return TOKEN_SHAPE.test(s) ? null : 'shape';
}

/**
 * The field of the document the server refused and why: `validation_failed` (its English
 * reason read for a limit), or `not_found` naming a field (a topic's channel deleted meanwhile).
 */
export function telegramIssue(problem: Problem | null): FieldIssue | null {
  if (!problem) return null;
  const field = typeof problem.details.field === 'string' ? problem.details.field.trim() : '';
  if (problem.code === 'not_found' && field) return { field, reason: 'not_found' };
  const issue = serverIssue(problem);
  if (!issue) return null;
  const m = (problem.message ?? '').toLowerCase();
  if (/\.key$/.test(issue.field)) {
    return { field: issue.field, reason: /another topic|used by|already|unique/.test(m) ? 'duplicate' : 'slug' };
  }
  const most = /at most (\d+)\s*$/.exec(m);
  if (most && /(?:topics|questions)$/.test(issue.field)) return { field: issue.field, reason: 'too_many', max: Number(most[1]) };
  return issue;
}

/** An issue of the bot's form in the console's words (the keys have their own). */
export function telegramIssueText(t: T, issue: FieldIssue): string {
  if (/\.key$/.test(issue.field)) {
    if (issue.reason === 'duplicate' || issue.reason === 'taken') return t('telegram.issue_key_taken');
    if (issue.reason !== 'required') return t('telegram.issue_key');
  }
  if (issue.field === FIELD.idle && (issue.reason === 'range' || issue.reason === 'whole_number')) return t('telegram.issue_idle');
  return issueText(t, issue);
}

/**
 * What to show beside each field of the editor, placed at the field or the nearest part of the
 * form around it: the console's own checks (once the admin tried to save), then the server's
 * refusal. `elsewhere` holds what the form has no place for (shown under it).
 */
export function botFieldMessages(
  t: T,
  issues: readonly FieldIssue[],
  problem: Problem | null,
  anchors: ReadonlySet<string>,
): { at: Map<string, string>; elsewhere: [string, string][] } {
  const at = new Map<string, string>();
  const elsewhere: [string, string][] = [];
  const put = (issue: FieldIssue) => {
    const text = telegramIssueText(t, issue);
    const place = placeField(issue.field, anchors);
    if (place) at.set(place, at.has(place) && at.get(place) !== text ? `${at.get(place)} ${text}` : text);
    else elsewhere.push([issue.field, text]);
  };
  for (const issue of issues) put(issue);
  const refused = telegramIssue(problem);
  if (refused) put(refused);
  return { at, elsewhere };
}

/** Whether a refusal of a save names a field (shown beside it or named under the form). */
export function namesField(problem: Problem | null): boolean {
  return !!telegramIssue(problem);
}

/** Whether Telegram itself could not be reached (a connect's 503 says so). */
export function telegramUnreachable(problem: Problem | null): boolean {
  return !!problem && problem.code === 'unavailable' && /telegram/i.test(problem.message ?? 'telegram');
}

export function botMode(bot: BotView): BotMode | null {
  return bot.mode === 'polling' || bot.mode === 'webhook' ? bot.mode : null;
}

// ---- the controller ---------------------------------------------------------------------------

export interface TelegramHost {
  api: Requester;
  /** Turns a failure into a Problem (and signs out on 401). */
  guard: (e: unknown) => Problem;
}

const BOTS = '/api/v1/telegram/bots';
const path = (id: string) => `${BOTS}/${encodeURIComponent(id)}`;

export class TelegramState extends Observable {
  bots: BotView[] = [];
  loaded = false;
  loading = false;
  problem: Problem | null = null;
  private listRequest = 0;

  constructor(private readonly host: TelegramHost) {
    super();
  }

  /** The page opened: nothing of an earlier visit shows, then the bots. */
  open(): Promise<void> {
    this.bots = [];
    this.loaded = false;
    return this.load();
  }

  async load(): Promise<void> {
    const request = ++this.listRequest;
    this.loading = true;
    this.problem = null;
    this.changed();
    try {
      const list = await this.host.api<Items<BotView>>('GET', BOTS);
      if (request !== this.listRequest) return;
      this.bots = list.items;
      this.loaded = true;
    } catch (e) {
      if (request === this.listRequest) this.problem = this.host.guard(e);
    } finally {
      if (request === this.listRequest) this.loading = false;
      this.changed();
    }
  }

  /** Connects a bot by its token; resolves to the bot, or the refusal. */
  async connect(body: BotConnectRequest): Promise<BotView | Problem> {
    try {
      const made = await this.host.api<BotView>('POST', BOTS, { body });
      this.bots = withSaved(this.bots, made);
      return made;
    } catch (e) {
      return this.host.guard(e);
    } finally {
      this.changed();
    }
  }

  /** Changes what `patch` names: the whole document (and the channel), or the switch. */
  async update(id: string, patch: BotPatchRequest): Promise<Problem | null> {
    try {
      this.bots = withSaved(this.bots, await this.host.api<BotView>('PATCH', path(id), { body: patch }));
      return null;
    } catch (e) {
      return this.host.guard(e);
    } finally {
      this.changed();
    }
  }

  /** Disconnects a bot (its contacts and dialogs stay). */
  async remove(id: string): Promise<Problem | null> {
    try {
      await this.host.api<void>('DELETE', path(id));
      this.bots = this.bots.filter((x) => x.id !== id);
      return null;
    } catch (e) {
      return this.host.guard(e);
    } finally {
      this.changed();
    }
  }
}
