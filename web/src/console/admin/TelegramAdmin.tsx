/**
 * Telegram (admins): connecting a bot by its token (with the channel its chats go to, the
 * default one unless another is picked; Telegram's refusal shown under the token), the list of
 * connected bots (name, @username, how its messages are read, its channel, an on/off switch,
 * "Disconnect" after asking), and the selected bot's document: the greeting, hand-over and
 * time-out texts in Russian and English, the idle limit, and the topics (added, removed,
 * moved up and down; each with a key, a title in both languages, a channel, and up to five
 * questions). "Save" sends the whole document; a refused field (the console's own check or the
 * server's `validation_failed`, e.g. `settings.topics[1].key`) gets its message beside it.
 */
import { Fragment } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { ChannelView } from '../../shared/api-types';
import { useObservable } from '../../shared/store';
import type { Problem } from '../console-state';
import { problemText } from '../context';
import type { ConsoleKey } from '../i18n';
import { isProblem } from './controllers';
import { FieldNote } from './FieldNote';
import { IntegrationsTabs } from './IntegrationsTabs';
import { ItemMoves, useFocusAfter } from './ItemMoves';
import { issueText } from './issue-text';
import { ProblemLine } from './ProblemLine';
import { SaveBar } from './SaveBar';
import { useSaveGuard } from './save-guard';
import {
  botAnchors,
  botDraft,
  botFieldMessages,
  botMode,
  botPatch,
  draftChanged,
  FIELD,
  LANGS,
  LIMITS,
  moveItem,
  namesField,
  newQuestion,
  newTopic,
  settingsRequest,
  TEXT_FIELDS,
  telegramUnreachable,
  tokenCheck,
  tokenText,
  tokenTrouble,
  type BotDraft,
  type BotView,
  type TextLang,
  type Texts,
  type TopicDraft,
} from './telegram';
import { formName } from './unsaved';
import { useAdmin } from './use-admin';
import '../account.css';
import './admin-pages.css';
import './telegram.css';

/** The admin controller's Telegram part (and the channels), redrawn on their changes. */
function useTelegram() {
  const env = useAdmin('team');
  useObservable(env.admin.telegram);
  return { ...env, bots: env.admin.telegram };
}

const LANG_KEYS: Record<TextLang, ConsoleKey> = { ru: 'telegram.lang_ru', en: 'telegram.lang_en' };
const TEXT_KEYS = {
  greeting: ['telegram.text.greeting', 'telegram.text.greeting_hint'],
  handed_over: ['telegram.text.handed_over', 'telegram.text.handed_over_hint'],
  timed_out: ['telegram.text.timed_out', 'telegram.text.timed_out_hint'],
} as const satisfies Record<(typeof TEXT_FIELDS)[number], readonly [ConsoleKey, ConsoleKey]>;

const defaultChannel = (channels: readonly ChannelView[]) => channels.find((c) => c.is_default) ?? channels[0] ?? null;

export function TelegramAdmin() {
  const { state, bots, t, lang } = useTelegram();
  const [selectedId, setSelectedId] = useState<string | null>(null);
  /** Bumped when "Set up" is pressed, to bring the editor into view with the focus. */
  const [reveal, setReveal] = useState(0);

  useEffect(() => {
    void bots.open();
  }, [bots]);

  const selected = bots.bots.find((b) => b.id === selectedId) ?? bots.bots[0] ?? null;
  const select = (id: string) => {
    const go = () => {
      setSelectedId(id);
      setReveal((n) => n + 1);
    };
    if (id === selected?.id || state.team.unsaved.mayLeave(go)) go();
  };

  return (
    <section class="admin-section telegram-page">
      <IntegrationsTabs current="telegram" />
      <header class="admin-head">
        <h1 data-testid="telegram-title">{t('telegram.title')}</h1>
        <p>{t('telegram.hint')}</p>
      </header>
      {bots.problem && (
        <p class="form-error" role="alert" data-testid="telegram-load-error" data-code={bots.problem.code}>
          {problemText(t, lang, bots.problem)}{' '}
          <button type="button" class="link" onClick={() => void bots.load()}>
            {t('app.retry')}
          </button>
        </p>
      )}
      <ConnectForm onConnected={(bot) => select(bot.id)} />
      <div class="admin-card telegram-list" data-testid="telegram-list">
        <h2>{t('telegram.list_title')}</h2>
        {bots.loading && !bots.loaded && <p class="list-note">{t('telegram.loading')}</p>}
        {bots.loaded && bots.bots.length === 0 && (
          <p class="list-note" data-testid="telegram-empty">
            {t('telegram.empty')}
          </p>
        )}
        {bots.bots.length > 0 && (
          <table class="admin-table telegram-table" data-testid="telegram-table">
            <thead>
              <tr>
                <th>{t('telegram.col_bot')}</th>
                <th>{t('telegram.col_mode')}</th>
                <th>{t('telegram.col_channel')}</th>
                <th>{t('telegram.col_state')}</th>
                <th>
                  <span class="visually-hidden">{t('telegram.col_actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {bots.bots.map((b) => (
                <BotRow key={b.id} bot={b} selected={b.id === selected?.id} onSelect={() => select(b.id)} />
              ))}
            </tbody>
          </table>
        )}
      </div>
      {selected && <BotEditor key={selected.id} bot={selected} reveal={reveal} />}
    </section>
  );
}

// ---- connecting a bot ----------------------------------------------------------------------------

function ConnectForm({ onConnected }: { onConnected: (bot: BotView) => void }) {
  const { state, bots, t } = useTelegram();
  const channels = state.team.channels;
  const fallback = defaultChannel(channels);
  const [token, setToken] = useState('');
  const [shown, setShown] = useState(false);
  /** '' until the admin picks one: the default channel. */
  const [channelId, setChannelId] = useState('');
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [connected, setConnected] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const ids = useMemo(() => formName('telegram-token'), []);

  const trouble = (tried ? tokenCheck(token) : null) ?? tokenTrouble(problem);
  const tokenNote = trouble ? tokenText(t, trouble) : null;
  const channelNote = problem && problem.details.field === 'channel_id' ? issueText(t, { field: 'channel_id', reason: 'not_found' }) : null;
  const chosen = channelId || fallback?.id || '';

  const submit = async (ev: Event) => {
    ev.preventDefault();
    if (busy) return;
    setTried(true);
    setConnected(null);
    if (tokenCheck(token)) {
      input.current?.focus();
      return;
    }
    setBusy(true);
    setProblem(null);
    const made = await bots.connect({ token: token.trim(), ...(chosen ? { channel_id: chosen } : {}) });
    setBusy(false);
    if (isProblem(made)) {
      setProblem(made);
      if (tokenTrouble(made)) input.current?.focus();
      return;
    }
    setToken('');
    setShown(false);
    setTried(false);
    setChannelId('');
    setConnected(made.username);
    onConnected(made);
  };

  return (
    <form class="admin-card telegram-connect" onSubmit={submit} noValidate data-testid="telegram-connect">
      <h2>{t('telegram.connect_title')}</h2>
      <p class="telegram-card-hint">{t('telegram.connect_hint')}</p>
      <div class="telegram-connect-row">
        <div class="field telegram-token-field">
          <label for={ids}>
            <span>{t('telegram.token')}</span>
          </label>
          <div class="telegram-token-input">
            <input
              id={ids}
              ref={input}
              // Preact's types take `text` and `password` apart; the element takes either.
              type={(shown ? 'text' : 'password') as 'password'}
              value={token}
              placeholder="123456789:AAH…"
              autoComplete="off"
              spellcheck={false}
              aria-invalid={tokenNote ? true : undefined}
              onInput={(e) => {
                setToken(e.currentTarget.value);
                setConnected(null);
                if (problem) setProblem(null);
              }}
              data-testid="telegram-token"
            />
            <button
              type="button"
              class="btn btn-secondary"
              aria-pressed={shown}
              aria-label={t('telegram.token_show_label')}
              onClick={() => setShown(!shown)}
              data-testid="telegram-token-show"
            >
              {shown ? t('telegram.token_hide') : t('telegram.token_show')}
            </button>
          </div>
          <FieldNote text={tokenNote} field="token" />
        </div>
        <label class="field telegram-connect-channel">
          <span>{t('telegram.channel')}</span>
          <select
            value={chosen}
            disabled={channels.length === 0}
            aria-invalid={channelNote ? true : undefined}
            onChange={(e) => setChannelId(e.currentTarget.value)}
            data-testid="telegram-channel"
          >
            {channels.map((c) => (
              <option key={c.id} value={c.id}>
                {c.is_default ? t('telegram.channel_default', { name: c.name }) : c.name}
              </option>
            ))}
          </select>
          <FieldNote text={channelNote} field="channel_id" />
        </label>
        <button type="submit" class="btn btn-primary" disabled={busy} data-testid="telegram-connect-submit">
          {busy ? t('telegram.connecting') : t('telegram.connect')}
        </button>
      </div>
      {problem && telegramUnreachable(problem) && (
        <p class="form-error" role="alert" data-testid="telegram-connect-error" data-code={problem.code}>
          {t('telegram.unreachable')}
        </p>
      )}
      {problem && !telegramUnreachable(problem) && !tokenTrouble(problem) && !channelNote && (
        <ProblemLine problem={problem} testid="telegram-connect-error" />
      )}
      {connected && (
        <p class="ok-note" role="status" data-testid="telegram-connected">
          {t('telegram.connected', { username: connected })}
        </p>
      )}
    </form>
  );
}

// ---- the list ------------------------------------------------------------------------------------

function channelName(channels: readonly ChannelView[], id: string): string | null {
  return channels.find((c) => c.id === id)?.name ?? null;
}

function BotRow({ bot: b, selected, onSelect }: { bot: BotView; selected: boolean; onSelect: () => void }) {
  const { state, bots, t } = useTelegram();
  const [busy, setBusy] = useState(false);
  /** The switch's new position while the server is asked. */
  const [pending, setPending] = useState<boolean | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const channels = state.team.channels;
  const mode = botMode(b);
  const on = pending ?? b.enabled;
  const channel = channels.length ? (channelName(channels, b.channel_id) ?? t('telegram.channel_gone')) : '—';

  const toggle = async (enabled: boolean) => {
    setBusy(true);
    setPending(enabled);
    setProblem(null);
    const refused = await bots.update(b.id, { enabled });
    setPending(null);
    setBusy(false);
    setProblem(refused);
  };
  const disconnect = async () => {
    if (!confirm(t('telegram.disconnect_confirm', { username: b.username }))) return;
    setBusy(true);
    setProblem(null);
    const refused = await bots.remove(b.id);
    setBusy(false);
    setProblem(refused);
  };

  return (
    <Fragment>
      <tr class={`telegram-row${selected ? ' is-selected' : ''}${on ? '' : ' is-off'}`} data-testid="telegram-row" data-bot-id={b.id} data-enabled={String(b.enabled)}>
        <td>
          <div class="cell-name" data-testid="telegram-row-name">
            {b.name}
          </div>
          <div class="muted" data-testid="telegram-row-username">
            @{b.username}
          </div>
        </td>
        <td data-testid="telegram-row-mode">{mode ? t(mode === 'polling' ? 'telegram.mode_polling' : 'telegram.mode_webhook') : b.mode}</td>
        <td data-testid="telegram-row-channel">{channel}</td>
        <td>
          <label class="telegram-switch">
            <input
              type="checkbox"
              role="switch"
              checked={on}
              disabled={busy}
              aria-label={t('telegram.toggle_of', { username: b.username })}
              onChange={(e) => void toggle(e.currentTarget.checked)}
              data-testid="telegram-toggle"
            />
            <span class="telegram-switch-track" aria-hidden="true" />
            <span class="telegram-switch-text" aria-hidden="true">
              {on ? t('telegram.state_on') : t('telegram.state_off')}
            </span>
          </label>
        </td>
        <td class="telegram-row-actions">
          <button
            type="button"
            class="btn btn-secondary btn-small"
            aria-label={t('telegram.configure_of', { username: b.username })}
            aria-pressed={selected}
            onClick={onSelect}
            data-testid="telegram-configure"
          >
            {t('telegram.configure')}
          </button>
          <button
            type="button"
            class="btn btn-ghost btn-small danger"
            disabled={busy}
            aria-label={t('telegram.disconnect_of', { username: b.username })}
            onClick={() => void disconnect()}
            data-testid="telegram-disconnect"
          >
            {t('telegram.disconnect')}
          </button>
        </td>
      </tr>
      {problem && (
        <tr class="telegram-problem-row">
          <td colSpan={5}>
            <ProblemLine problem={problem} testid="telegram-row-error" />
          </td>
        </tr>
      )}
    </Fragment>
  );
}

// ---- the bot's document --------------------------------------------------------------------------

type Note = (path: string) => string | null;

/** One text in Russian and English, side by side, each with its own message. */
function TextPair({
  label,
  hint,
  value,
  onChange,
  path,
  note,
  multiline,
  testid,
}: {
  label: string;
  hint?: string;
  value: Texts;
  onChange: (v: Texts) => void;
  /** The server's name of the pair (`settings.greeting`); each language is `${path}.ru`… */
  path: string;
  note: Note;
  multiline?: boolean;
  testid: string;
}) {
  const { t } = useTelegram();
  return (
    <fieldset class="telegram-pair-field" data-testid={testid}>
      <legend>{label}</legend>
      {hint && <small class="telegram-pair-hint">{hint}</small>}
      <div class="telegram-pair">
        {LANGS.map((l) => {
          const at = `${path}.${l}`;
          const props = {
            value: value[l],
            'aria-label': t('telegram.in_lang', { what: label, lang: t(LANG_KEYS[l]) }),
            'aria-invalid': note(at) ? true : undefined,
            lang: l,
            'data-testid': `${testid}-${l}`,
          };
          return (
            <label key={l} class="field telegram-lang-field">
              <span class="telegram-lang" aria-hidden="true">
                {t(LANG_KEYS[l])}
              </span>
              {multiline ? (
                <textarea rows={3} {...props} onInput={(e) => onChange({ ...value, [l]: e.currentTarget.value })} />
              ) : (
                <input {...props} onInput={(e) => onChange({ ...value, [l]: e.currentTarget.value })} />
              )}
              <FieldNote text={note(at)} field={at} />
            </label>
          );
        })}
      </div>
      <FieldNote text={note(path)} field={path} />
    </fieldset>
  );
}

function BotEditor({ bot, reveal }: { bot: BotView; reveal: number }) {
  const { state, bots, t } = useTelegram();
  const channels = state.team.channels;
  const heading = useRef<HTMLHeadingElement>(null);
  const [draft, setDraft] = useState<BotDraft>(() => botDraft(bot));
  /** The admin edited the document (a stored one the console's checks refuse counts as changed from the start). */
  const [edited, setEdited] = useState(false);

  const result = settingsRequest(draft);
  const dirty = draftChanged(bot, draft);
  const guard = useSaveGuard('telegram-bot', edited && dirty);
  const { body, tried, problem } = guard;
  /** Once the topics are drawn again after one was added or moved. */
  const focusAfter = useFocusAfter(body, { attr: 'data-topic-id', testid: 'telegram-topic', fallback: 'telegram-topic-title-ru' });

  const anchors = botAnchors(draft);
  const { at, elsewhere } = botFieldMessages(t, tried && !result.ok ? result.issues : [], problem, anchors);
  const note: Note = (path) => at.get(path) ?? null;

  useEffect(() => {
    if (!reveal) return;
    heading.current?.scrollIntoView?.({ block: 'start', behavior: 'smooth' });
    heading.current?.focus({ preventScroll: true });
  }, [reveal]);

  const set = (change: Partial<BotDraft>) => {
    setDraft((d) => ({ ...d, ...change }));
    setEdited(true);
    guard.edited();
  };
  const setTopic = (i: number, change: Partial<TopicDraft>) => set({ topics: draft.topics.map((x, j) => (j === i ? { ...x, ...change } : x)) });

  const save = (ev: Event) =>
    guard.save(
      ev,
      result,
      ({ settings }) => bots.update(bot.id, botPatch(bot, draft, settings)),
      () => {
        setDraft(botDraft(bots.bots.find((b) => b.id === bot.id) ?? bot));
        setEdited(false);
      },
    );
  const revert = () => {
    setDraft(botDraft(bot));
    setEdited(false);
    guard.reset();
  };

  const botChannel = channelName(channels, draft.channel_id);
  const showTopics = draft.topics.length > 0;

  return (
    <form ref={body} class="telegram-editor" onSubmit={save} noValidate data-testid="telegram-editor" data-bot-id={bot.id}>
      <div class="admin-card telegram-part">
        <header class="telegram-editor-head">
          <h2 ref={heading} tabIndex={-1} data-testid="telegram-editor-title">
            {t('telegram.editor_title', { username: bot.username })}
          </h2>
          <p class="telegram-card-hint">{t('telegram.editor_hint')}</p>
        </header>
        <div class="telegram-basics">
          <label class="field">
            <span>{t('telegram.bot_channel')}</span>
            <select
              value={draft.channel_id}
              aria-invalid={note(FIELD.channel) ? true : undefined}
              onChange={(e) => set({ channel_id: e.currentTarget.value })}
              data-testid="telegram-bot-channel"
            >
              {!botChannel && <option value={draft.channel_id}>{t('telegram.channel_gone')}</option>}
              {channels.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
            <small>{t('telegram.bot_channel_hint')}</small>
            <FieldNote text={note(FIELD.channel)} field={FIELD.channel} />
          </label>
          <label class="field telegram-idle">
            <span>{t('telegram.idle')}</span>
            <input
              inputMode="numeric"
              value={draft.idle_minutes}
              aria-invalid={note(FIELD.idle) ? true : undefined}
              onInput={(e) => set({ idle_minutes: e.currentTarget.value })}
              data-testid="telegram-idle"
            />
            <small>{t('telegram.idle_hint')}</small>
            <FieldNote text={note(FIELD.idle)} field={FIELD.idle} />
          </label>
        </div>
      </div>

      <div class="admin-card telegram-part" data-testid="telegram-texts">
        <h3>{t('telegram.texts')}</h3>
        {TEXT_FIELDS.map((f) => (
          <TextPair
            key={f}
            label={t(TEXT_KEYS[f][0])}
            hint={t(TEXT_KEYS[f][1])}
            value={draft[f]}
            onChange={(v) => set({ [f]: v } as Partial<BotDraft>)}
            path={FIELD.text(f)}
            note={note}
            multiline
            testid={`telegram-text-${f}`}
          />
        ))}
      </div>

      <div class="admin-card telegram-part" data-testid="telegram-topics">
        <h3>{t('telegram.topics')}</h3>
        <p class="telegram-card-hint">{t('telegram.topics_hint')}</p>
        {!showTopics && (
          <p class="telegram-empty-topics" data-testid="telegram-topics-empty">
            {t('telegram.topics_empty')}
          </p>
        )}
        {showTopics && (
          <ol class="telegram-topics">
            {draft.topics.map((topic, i) => (
              <TopicCard
                key={topic.id}
                topic={topic}
                index={i}
                count={draft.topics.length}
                botChannel={botChannel}
                note={note}
                onChange={(change) => setTopic(i, change)}
                onMove={(by) => {
                  set({ topics: moveItem(draft.topics, i, by) });
                  focusAfter({ item: topic.id, testid: by < 0 ? 'telegram-topic-up' : 'telegram-topic-down' });
                }}
                onRemove={() => set({ topics: draft.topics.filter((_, j) => j !== i) })}
              />
            ))}
          </ol>
        )}
        <div>
          <button
            type="button"
            class="btn btn-secondary"
            disabled={draft.topics.length >= LIMITS.topics}
            onClick={() => {
              const fresh = newTopic(draft.topics);
              set({ topics: [...draft.topics, fresh] });
              focusAfter({ item: fresh.id, testid: 'telegram-topic-title-ru' });
            }}
            data-testid="telegram-topic-add"
          >
            + {t('telegram.add_topic')}
          </button>
        </div>
        <FieldNote text={note(FIELD.topics)} field={FIELD.topics} />
      </div>

      <SaveBar
        class="telegram-actions"
        words="telegram"
        testid="telegram"
        guard={guard}
        ok={result.ok}
        dirty={dirty}
        unsaved={dirty && edited}
        fieldRefused={namesField(problem)}
        elsewhere={elsewhere}
        onRevert={revert}
        saveLabel={t('telegram.save')}
      />
    </form>
  );
}

function TopicCard({
  topic,
  index: i,
  count,
  botChannel,
  note,
  onChange,
  onMove,
  onRemove,
}: {
  topic: TopicDraft;
  index: number;
  count: number;
  botChannel: string | null;
  note: Note;
  onChange: (change: Partial<TopicDraft>) => void;
  onMove: (by: -1 | 1) => void;
  onRemove: () => void;
}) {
  const { state, t, lang } = useTelegram();
  const channels = state.team.channels;
  const n = i + 1;
  /** The title in the console's language (else the other one), to tell the topics apart. */
  const title = (lang === 'en' ? topic.title.en || topic.title.ru : topic.title.ru || topic.title.en).trim();
  const invalid = [...LANGS.map((l) => FIELD.titleLang(i, l)), FIELD.key(i), FIELD.topicChannel(i), FIELD.topic(i)].some((p) => note(p));
  const topicChannelKnown = !topic.channel_id || channels.some((c) => c.id === topic.channel_id);
  return (
    <li class={`telegram-topic${invalid ? ' has-error' : ''}`} data-testid="telegram-topic" data-index={i} data-topic-id={topic.id}>
      <div class="telegram-topic-head">
        <h4>
          {t('telegram.topic_n', { n })}
          {title && <span class="telegram-topic-name"> · {title}</span>}
        </h4>
        <span class="spacer" />
        <ItemMoves
          index={i}
          count={count}
          up={t('telegram.move_up', { n })}
          down={t('telegram.move_down', { n })}
          remove={t('telegram.remove_topic', { n })}
          testid="telegram-topic"
          onMove={onMove}
          onRemove={onRemove}
        />
      </div>
      <div class="telegram-topic-row">
        <label class="field telegram-key">
          <span>{t('telegram.key')}</span>
          <input
            value={topic.key}
            maxLength={LIMITS.key + 8}
            spellcheck={false}
            autoComplete="off"
            aria-invalid={note(FIELD.key(i)) ? true : undefined}
            onInput={(e) => onChange({ key: e.currentTarget.value })}
            data-testid="telegram-topic-key"
          />
          {!note(FIELD.key(i)) && <small>{t('telegram.key_hint')}</small>}
          <FieldNote text={note(FIELD.key(i))} field={FIELD.key(i)} />
        </label>
        <label class="field">
          <span>{t('telegram.topic_channel')}</span>
          <select
            value={topic.channel_id}
            aria-invalid={note(FIELD.topicChannel(i)) ? true : undefined}
            onChange={(e) => onChange({ channel_id: e.currentTarget.value })}
            data-testid="telegram-topic-channel"
          >
            <option value="">{botChannel ? t('telegram.topic_channel_bot', { name: botChannel }) : t('telegram.topic_channel_bot_plain')}</option>
            {!topicChannelKnown && <option value={topic.channel_id}>{t('telegram.channel_gone')}</option>}
            {channels.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
          <FieldNote text={note(FIELD.topicChannel(i))} field={FIELD.topicChannel(i)} />
        </label>
      </div>
      <TextPair
        label={t('telegram.topic_title')}
        value={topic.title}
        onChange={(title) => onChange({ title })}
        path={FIELD.title(i)}
        note={note}
        testid="telegram-topic-title"
      />
      <fieldset class="telegram-questions" data-testid="telegram-questions">
        <legend>{t('telegram.questions')}</legend>
        <small class="telegram-pair-hint">{topic.questions.length ? t('telegram.questions_hint') : t('telegram.questions_empty')}</small>
        {topic.questions.length > 0 && (
          <ol class="telegram-question-list">
            {topic.questions.map((q, j) => {
              const m = j + 1;
              const what = t('telegram.question_n', { n: m });
              return (
                <li key={q.id} class="telegram-question" data-testid="telegram-question" data-index={j}>
                  <span class="telegram-question-n" aria-hidden="true">
                    {m}.
                  </span>
                  {LANGS.map((l) => {
                    const path = FIELD.questionLang(i, j, l);
                    return (
                      <div key={l} class="telegram-question-input">
                        <input
                          value={q[l]}
                          lang={l}
                          placeholder={t(LANG_KEYS[l])}
                          aria-label={t('telegram.in_lang', { what: `${t('telegram.topic_n', { n })}: ${what}`, lang: t(LANG_KEYS[l]) })}
                          aria-invalid={note(path) ? true : undefined}
                          onInput={(e) =>
                            onChange({ questions: topic.questions.map((x, k) => (k === j ? { ...x, [l]: e.currentTarget.value } : x)) })
                          }
                          data-testid={`telegram-question-${l}`}
                        />
                        <FieldNote text={note(path)} field={path} />
                      </div>
                    );
                  })}
                  <button
                    type="button"
                    class="icon-btn"
                    aria-label={t('telegram.remove_question', { n: m, topic: n })}
                    title={t('telegram.remove_question', { n: m, topic: n })}
                    onClick={() => onChange({ questions: topic.questions.filter((_, k) => k !== j) })}
                    data-testid="telegram-question-remove"
                  >
                    ×
                  </button>
                  <FieldNote text={note(FIELD.question(i, j))} field={FIELD.question(i, j)} />
                </li>
              );
            })}
          </ol>
        )}
        <div>
          <button
            type="button"
            class="link telegram-question-add"
            disabled={topic.questions.length >= LIMITS.questions}
            onClick={() => onChange({ questions: [...topic.questions, newQuestion()] })}
            data-testid="telegram-question-add"
          >
            + {t('telegram.add_question')}
          </button>
        </div>
        <FieldNote text={note(FIELD.questions(i))} field={FIELD.questions(i)} />
      </fieldset>
      <FieldNote text={note(FIELD.topic(i))} field={FIELD.topic(i)} />
    </li>
  );
}
