/**
 * The console's state in slices, each its own `Observable`: a component subscribes to the
 * slices it reads (`useConsole('lists', 'dialog')`, context.ts) and is redrawn when one of them
 * changes, never for the others. A typing frame redraws the typing line, a toast the toasts;
 * the dialog list stays as it was.
 *
 * What stays true:
 * - a slice holds data, plus the few changes that need neither the server nor another slice;
 *   `ConsoleState` owns the API and the socket, changes the slices and announces each change
 *   with `changed()` on the slice that holds the field, and only there (a change spanning two
 *   slices announces on both);
 * - a field lives in exactly one slice; what combines slices (the visible list needs the
 *   operator's id, the unread total the read marks) is computed by `ConsoleState`, and a
 *   component reading it subscribes to each slice involved.
 */
import type {
  CategoryView,
  ChannelView,
  CustomFieldView,
  DialogCounts,
  DialogView,
  MeView,
  MessageEditView,
  MessageView,
  OperatorView,
  SavedReplyView,
  SearchHit,
  TagView,
  UploadLimits,
  VisitorCardView,
} from '../shared/api-types';
import type { Lang } from '../shared/i18n';
import type { DialogMessages } from '../shared/messages';
import type { SocketStatus } from '../shared/socket';
import { local } from '../shared/storage';
import { Observable } from '../shared/store';
import { TypingTracker } from '../shared/typing';
import { UnsavedChanges } from './admin/unsaved';
import { Attention, type Alerter } from './alerts';
import type { SegmentView } from './admin/segments';
import type { Problem } from './console-state';
import type { NamedField } from './field-values';
import type { ListFilter } from './filters';
import type { Route } from './routes';
import type { SlaAlert } from './sla';

export type AuthPhase = 'checking' | 'unreachable' | 'signed_out' | 'signed_in';

/** The left column shows the filtered list or the queue. */
export type ListTab = 'dialogs' | 'queue';

/** The visitor card of a dialog as loaded. */
export interface LoadedCard {
  card: VisitorCardView | null;
  loading: boolean;
  problem: Problem | null;
}

/** The earlier texts of an edited message, as the operator opened them under it. */
export interface LoadedEdits {
  /** Shown under the message (he clicked "edited"). */
  open: boolean;
  loading: boolean;
  /** Oldest first; null until loaded. */
  items: MessageEditView[] | null;
  /** The message's `edited_at` the items were loaded for: a later edit makes them stale. */
  version: string | null;
  problem: Problem | null;
}

/** The list's search box and what it found. */
export interface SearchState {
  query: string;
  hits: SearchHit[] | null;
  loading: boolean;
  problem: Problem | null;
}

/** A `mention` frame shown in the console until dismissed. */
export interface MentionAlert {
  dialog: DialogView;
  message: MessageView;
}

/** One dialog's messages as loaded in the console. */
export interface LoadedDialog {
  messages: DialogMessages;
  loading: boolean;
  problem: Problem | null;
}

const CARD_KEY = 'frontline.console.card';
const FIELDS_SHOWN_KEY = 'frontline.console.fields_shown';
const FILTERS_SHOWN_KEY = 'frontline.console.filters_shown';

/**
 * Who the operator is and where: the sign-in phase, his `MeView`, the language, the page
 * open, the socket's status, and the console's chrome (the shortcuts' help). Changes seldom;
 * every component reads the language, so every component subscribes to it.
 */
export class SessionSlice extends Observable {
  lang: Lang;
  auth: AuthPhase = 'checking';
  /** The last sign-out was the server's (the session ended elsewhere), not the operator's. */
  sessionEnded = false;
  me: MeView | null = null;
  route: Route = { view: 'dialogs', dialogId: null };
  connection: SocketStatus = 'closed';
  presenceBusy = false;
  /** Whether the keyboard shortcuts' help shows (the `?` key, the top bar's button). */
  shortcutsShown = false;
  /** What uploads may be (from `GET /api/v1/me`), or null until known. */
  uploadLimits: UploadLimits | null = null;

  constructor(lang: Lang) {
    super();
    this.lang = lang;
  }

  /** Signed out: nobody, on the dialogs page (the language and the socket's status stay). */
  clear(ended: boolean): void {
    this.sessionEnded = ended;
    this.me = null;
    this.auth = 'signed_out';
    this.route = { view: 'dialogs', dialogId: null };
    this.shortcutsShown = false;
    this.uploadLimits = null;
    this.changed();
  }

  showShortcuts(on: boolean): void {
    if (this.shortcutsShown === on) return;
    this.shortcutsShown = on;
    this.changed();
  }
}

/**
 * The dialogs the console holds and the views over them: the filtered list, the queue and its
 * counts, and what is being done to rows (ticked for a bulk close, being accepted or closed,
 * refused). Every dialog event lands here.
 *
 * Every dialog seen (list pages, the queue, the operator's own, socket events) lives once in
 * `dialogs`; the list, the queue and the tabs are views of it (see dialogs.ts, queue.ts).
 */
export class ListsSlice extends Observable {
  readonly dialogs = new Map<string, DialogView>();
  filter: ListFilter;
  listTab: ListTab = 'dialogs';
  listLoading = false;
  listProblem: Problem | null = null;
  nextCursor: string | null = null;
  /**
   * Under a segment filter, the visitors whose dialogs the server listed for it: whether a
   * visitor is in a segment is the server's to say, so the list shows the dialogs of these
   * (filters.ts). Emptied when the filter changes.
   */
  readonly segmentVisitors = new Set<string>();

  /** The server's counts at the last load; the queue count itself follows events (queueCount). */
  counts: DialogCounts | null = null;
  queueLoading = false;
  queueProblem: Problem | null = null;
  /** Queued dialogs the server counted beyond the ones held (see queue.ts). */
  queueBeyond = 0;

  /** Dialogs ticked for a bulk close, and the last bulk close's refusals by dialog. */
  readonly selection = new Set<string>();
  readonly bulkRefusals = new Map<string, Problem>();
  bulkResult: { closed: number; refused: number } | null = null;
  bulkBusy = false;
  readonly closing = new Set<string>();
  /** Dialogs being accepted, assigned or transferred by this operator right now. */
  readonly acting = new Set<string>();
  /** The last refusal of an accept or assign, per dialog (shown on its queue row and header). */
  readonly actionProblems = new Map<string, Problem>();
  /** Dialogs whose close was refused for want of a category (the header asks for one). */
  readonly categoryNeeded = new Set<string>();
  /**
   * Dialogs whose close was refused for want of custom fields (`fields_required`), with the
   * fields still empty: the header's fields say which and take the focus.
   */
  readonly fieldsNeeded = new Map<string, NamedField[]>();
  /** Whether the list's filters show whole or folded into one row (kept in localStorage). */
  filtersShown = local.get(FILTERS_SHOWN_KEY) === 'on';

  constructor(filter: ListFilter) {
    super();
    this.filter = filter;
  }

  toggleFilters(): void {
    this.filtersShown = !this.filtersShown;
    local.set(FILTERS_SHOWN_KEY, this.filtersShown ? 'on' : 'off');
    this.changed();
  }

  toggleSelected(id: string, on = !this.selection.has(id)): void {
    if (on) this.selection.add(id);
    else this.selection.delete(id);
    this.changed();
  }

  /** Ticks all of `ids`, or unticks them when all are ticked already. */
  toggleAll(ids: string[]): void {
    const all = ids.length > 0 && ids.every((id) => this.selection.has(id));
    for (const id of ids) {
      if (all) this.selection.delete(id);
      else this.selection.add(id);
    }
    this.changed();
  }

  clearSelection(): void {
    this.selection.clear();
    this.bulkResult = null;
    this.bulkRefusals.clear();
    this.changed();
  }

  /** Signed out: no dialogs (the filter and the tab stay for the next sign-in). */
  clear(): void {
    this.dialogs.clear();
    this.segmentVisitors.clear();
    this.actionProblems.clear();
    this.acting.clear();
    this.selection.clear();
    this.bulkRefusals.clear();
    this.bulkResult = null;
    this.categoryNeeded.clear();
    this.fieldsNeeded.clear();
    this.counts = null;
    this.queueBeyond = 0;
    this.changed();
  }
}

/**
 * The dialog open on the right and what the console holds of dialogs' conversations: which
 * one is selected, the messages loaded (with the outbox of sends awaiting `ack`), how far each
 * was marked read, visitor cards, and where the focus should go next.
 *
 * Who types where is its own observable, `typists`: typing frames come every 2 s per typist
 * and only the typing line shows them, so they redraw neither the timeline nor the rows.
 */
export class DialogSlice extends Observable {
  selectedId: string | null = null;
  readonly loaded = new Map<string, LoadedDialog>();
  /** Highest seq each dialog was marked read up to by this tab. */
  readonly readUpTo = new Map<string, number>();
  /** Visitor cards by dialog id. */
  readonly cards = new Map<string, LoadedCard>();
  /** The earlier texts of edited messages, by message id. */
  readonly edits = new Map<string, LoadedEdits>();
  /** Whether the visitor card shows beside the dialog (kept in localStorage). */
  cardShown = local.get(CARD_KEY) !== 'off';
  /** Whether the dialog's custom fields show under its header (kept in localStorage). */
  fieldsShown = local.get(FIELDS_SHOWN_KEY) !== 'off';
  /**
   * Where the focus should land once the next change is drawn: the reply box after an accept
   * (the button pressed is gone; the composer takes it and clears it, `takeFocus`), or the
   * list's row after a move by the keyboard (the composer of the dialog opened then leaves the
   * focus where it is; KeyboardShortcuts clears it).
   */
  focusWish: 'composer' | 'row' | null = null;
  /** Announces changes of `typing` (and nothing else). */
  readonly typists = new Observable();
  /** Who types where, each shown 5 s after his last `typing` frame. */
  readonly typing = new TypingTracker(() => this.typists.changed());

  toggleFields(on = !this.fieldsShown): void {
    if (on === this.fieldsShown) return;
    this.fieldsShown = on;
    local.set(FIELDS_SHOWN_KEY, on ? 'on' : 'off');
    this.changed();
  }

  toggleCard(): void {
    this.cardShown = !this.cardShown;
    local.set(CARD_KEY, this.cardShown ? 'on' : 'off');
    this.changed();
  }

  /** Signed out: nothing open, nothing held. */
  clear(): void {
    this.selectedId = null;
    this.loaded.clear();
    this.readUpTo.clear();
    this.cards.clear();
    this.edits.clear();
    this.focusWish = null;
    this.typing.clear();
    this.changed();
  }
}

/** The conversation tools: the search box and its hits, saved replies, the tag and category dictionaries, the segments. */
export class ToolsSlice extends Observable {
  search: SearchState = { query: '', hits: null, loading: false, problem: null };
  /** Saved replies the operator may use (all scopes; the composer orders them per dialog). */
  savedReplies: SavedReplyView[] = [];
  /** The tag and category dictionaries: active ones, and archived ones once asked for. */
  tags: TagView[] = [];
  categories: CategoryView[] = [];
  /**
   * The workspace's segments by name (any operator reads them: the list filter offers them, the
   * conditions editor and the segments page show them); `segmentsLoaded` once the server answered.
   */
  segments: SegmentView[] = [];
  segmentsLoaded = false;
  /**
   * The workspace's custom fields, archived ones too (any operator reads them: the dialog's
   * header, the visitor card and the list filter show the live ones; the fields page all).
   */
  fields: CustomFieldView[] = [];
  fieldsLoaded = false;

  replySaved(r: SavedReplyView): void {
    const at = this.savedReplies.findIndex((x) => x.id === r.id);
    this.savedReplies = at < 0 ? [...this.savedReplies, r] : this.savedReplies.map((x) => (x.id === r.id ? r : x));
    this.changed();
  }

  replyDeleted(id: string): void {
    this.savedReplies = this.savedReplies.filter((r) => r.id !== id);
    this.changed();
  }

  setSegments(list: readonly SegmentView[]): void {
    this.segments = [...list].sort((a, b) => a.name.localeCompare(b.name));
    this.segmentsLoaded = true;
    this.changed();
  }

  segmentSaved(segment: SegmentView): void {
    this.setSegments([...this.segments.filter((x) => x.id !== segment.id), segment]);
  }

  segmentDeleted(id: string): void {
    this.setSegments(this.segments.filter((x) => x.id !== id));
  }

  setFields(list: readonly CustomFieldView[]): void {
    this.fields = [...list];
    this.fieldsLoaded = true;
    this.changed();
  }

  fieldSaved(field: CustomFieldView): void {
    const at = this.fields.findIndex((f) => f.id === field.id);
    this.setFields(at < 0 ? [...this.fields, field] : this.fields.map((f) => (f.id === field.id ? field : f)));
  }

  labelSaved(kind: 'tags' | 'categories', label: TagView): void {
    const list = this[kind];
    const at = list.findIndex((x) => x.id === label.id);
    this[kind] = (at < 0 ? [...list, label] : list.map((x) => (x.id === label.id ? label : x))).sort((a, b) => a.name.localeCompare(b.name));
    this.changed();
  }

  clear(): void {
    this.search = { query: '', hits: null, loading: false, problem: null };
    this.savedReplies = [];
    this.tags = [];
    this.categories = [];
    this.segments = [];
    this.segmentsLoaded = false;
    this.fields = [];
    this.fieldsLoaded = false;
    this.changed();
  }
}

/**
 * What asks for the operator's attention: the notice bar (a refusal not tied to one message,
 * a handover done…), mentions and SLA breaches shown as toasts until dismissed, and the sound
 * and desktop notification settings.
 */
export class AlertsSlice extends Observable {
  /** A refusal not tied to one message (closing failed, a socket error…). */
  notice: Problem | null = null;
  /** Mentions of this operator in internal notes, newest last, until dismissed. */
  mentions: MentionAlert[] = [];
  /** SLA breaches the server reported to this operator (`sla.breached`), newest last, until dismissed. */
  slaAlerts: SlaAlert[] = [];
  /** Sound and desktop notification settings. */
  readonly attention: Attention;

  constructor(alerter: Alerter) {
    super();
    this.attention = new Attention(alerter, () => this.changed());
  }

  /** Shows `notice` in the notice bar (null hides it). */
  say(notice: Problem | null): void {
    if (notice === this.notice) return;
    this.notice = notice;
    this.changed();
  }

  clear(): void {
    this.notice = null;
    this.mentions = [];
    this.slaAlerts = [];
    this.changed();
  }
}

/**
 * The workspace's people and places: every operator (kept live by `operator.updated`), the
 * channels, channel members loaded for transfers, and the admin forms' unsaved edits.
 */
export class TeamSlice extends Observable {
  readonly operators = new Map<string, OperatorView>();
  channels: ChannelView[] = [];
  /** Members of channels, loaded when a transfer needs them. */
  readonly members = new Map<string, OperatorView[]>();
  /** Admin forms with unsaved edits: leaving them is asked about first (admin/unsaved.ts). */
  readonly unsaved = new UnsavedChanges(() => this.changed());

  channelName(id: string): string | null {
    return this.channels.find((c) => c.id === id)?.name ?? null;
  }

  channelSaved(c: ChannelView): void {
    const at = this.channels.findIndex((x) => x.id === c.id);
    this.channels = at < 0 ? [...this.channels, c] : this.channels.map((x) => (x.id === c.id ? c : x));
    this.changed();
  }

  clear(): void {
    this.operators.clear();
    this.members.clear();
    this.channels = [];
    this.unsaved.clear();
    this.changed();
  }
}
