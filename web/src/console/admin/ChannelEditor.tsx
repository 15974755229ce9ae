/**
 * One channel's settings (name, mode, greeting, waiting alert, offline policy, category before
 * close, reopen window), the way to its automation page, and its members: one form, one Save
 * (the settings' PATCH with only what changed, then the members if they changed).
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { ChannelMode, ChannelView, OfflinePolicy } from '../../shared/api-types';
import type { Problem } from '../console-state';
import { pathFor } from '../routes';
import { channelDraft, channelPatch, sameIds } from './forms';
import { ProblemLine } from './ProblemLine';
import { formName, useUnsaved } from './unsaved';
import { useAdmin } from './use-admin';

export function ChannelEditor({ channel }: { channel: ChannelView }) {
  const { state, admin, t } = useAdmin();
  const [draft, setDraft] = useState(() => channelDraft(channel));
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [saved, setSaved] = useState(false);
  const base = useRef(channel);
  const form = useMemo(() => formName('channel'), []);
  // Members: as the server last answered, and as ticked here (null: untouched).
  const held = admin.members.get(channel.id);
  const [picked, setPicked] = useState<string[] | null>(null);
  const members = picked ?? held ?? [];
  const membersDirty = !!held && picked !== null && !sameIds(members, held);

  useEffect(() => {
    setPicked(null);
    void admin.loadMembers(channel.id).then((refused) => refused && setProblem(refused));
  }, [channel.id]);

  // The channel changed elsewhere (a save, another admin): follow it unless the form was edited.
  useEffect(() => {
    const untouched = JSON.stringify(channelDraft(base.current)) === JSON.stringify(draft);
    base.current = channel;
    if (untouched) setDraft(channelDraft(channel));
  }, [channel]);

  const result = channelPatch(channel, draft);
  const settingsDirty = !result.ok || Object.keys(result.patch).length > 0;
  const dirty = settingsDirty || membersDirty;
  useUnsaved(form, dirty);
  const set = (patch: Partial<typeof draft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    setSaved(false);
  };
  const fieldLabel = (field: string) =>
    field === 'name'
      ? t('channels.name')
      : field === 'greeting'
        ? t('channels.greeting')
        : field === 'wait_alert_seconds'
          ? t('channels.wait_alert')
          : field === 'mode'
            ? t('channels.mode')
            : field === 'offline_policy'
              ? t('channels.offline_policy')
              : field === 'reopen_window_minutes'
                ? t('channels.reopen_window')
                : field === 'require_category'
                  ? t('channels.require_category')
                  : field;

  const save = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    if (!result.ok) {
      const message = result.field === 'wait_alert_seconds' ? t('channels.wait_alert_invalid') : t('channels.reopen_window_invalid');
      // The console's own words (`local`): shown as they are.
      setProblem({ code: 'validation_failed', details: { field: result.field, local: true }, message });
      return;
    }
    if (!dirty) return;
    setBusy(true);
    setProblem(null);
    let refused = Object.keys(result.patch).length > 0 ? await admin.patchChannel(channel.id, result.patch) : null;
    if (!refused && membersDirty) {
      refused = await admin.setMembers(channel.id, members);
      if (!refused) {
        setPicked(null);
        void state.loadChannels();
      }
    }
    setBusy(false);
    setProblem(refused);
    setSaved(!refused);
  };

  const radio = <V extends string>(name: string, value: V, current: V, onPick: (v: V) => void, label: string, testid: string) => (
    <label class="choice">
      <input type="radio" name={`${name}-${channel.id}`} checked={current === value} onChange={() => onPick(value)} data-testid={testid} />
      <span>{label}</span>
    </label>
  );

  return (
    <div class="admin-card admin-editor" data-testid="channel-editor" data-channel-id={channel.id}>
      <a
        class="automation-link"
        href={pathFor({ view: 'admin', section: 'automation', channelId: channel.id })}
        onClick={(e) => {
          if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
          e.preventDefault();
          state.navigate({ view: 'admin', section: 'automation', channelId: channel.id });
        }}
        data-testid="channel-automation"
      >
        {t('channels.automation_link')} →
      </a>
      <form class="admin-form" onSubmit={save}>
        <label class="field">
          <span>{t('channels.name')}</span>
          <input value={draft.name} maxLength={80} onInput={(e) => set({ name: e.currentTarget.value })} data-testid="channel-name" />
        </label>
        <fieldset class="field">
          <legend>{t('channels.mode')}</legend>
          {radio<ChannelMode>('mode', 'queue', draft.mode, (mode) => set({ mode }), t('channels.mode_queue'), 'channel-mode-queue')}
          {radio<ChannelMode>('mode', 'auto', draft.mode, (mode) => set({ mode }), t('channels.mode_auto'), 'channel-mode-auto')}
        </fieldset>
        <label class="field">
          <span>{t('channels.greeting')}</span>
          <textarea rows={2} value={draft.greeting} onInput={(e) => set({ greeting: e.currentTarget.value })} data-testid="channel-greeting" />
          <small>{t('channels.greeting_hint')}</small>
        </label>
        <label class="field field-narrow">
          <span>{t('channels.wait_alert')}</span>
          <input
            inputMode="numeric"
            value={draft.wait_alert}
            aria-invalid={!result.ok && result.field === 'wait_alert_seconds'}
            onInput={(e) => set({ wait_alert: e.currentTarget.value })}
            data-testid="channel-wait-alert"
          />
          <small>{t('channels.wait_alert_hint')}</small>
        </label>
        <fieldset class="field">
          <legend>{t('channels.offline_policy')}</legend>
          {radio<OfflinePolicy>('offline', 'keep', draft.offline_policy, (offline_policy) => set({ offline_policy }), t('channels.offline_keep'), 'channel-offline-keep')}
          {radio<OfflinePolicy>('offline', 'return', draft.offline_policy, (offline_policy) => set({ offline_policy }), t('channels.offline_return'), 'channel-offline-return')}
        </fieldset>
        <label class="choice">
          <input
            type="checkbox"
            checked={draft.require_category}
            onChange={(e) => set({ require_category: e.currentTarget.checked })}
            data-testid="channel-require-category"
          />
          <span>{t('channels.require_category')}</span>
        </label>
        <label class="field field-narrow">
          <span>{t('channels.reopen_window')}</span>
          <input
            inputMode="numeric"
            value={draft.reopen_window}
            aria-invalid={!result.ok && result.field === 'reopen_window_minutes'}
            onInput={(e) => set({ reopen_window: e.currentTarget.value })}
            data-testid="channel-reopen-window"
          />
          <small>{t('channels.reopen_window_hint')}</small>
        </label>
        <ChannelMembers
          loading={!held && admin.membersLoading.has(channel.id)}
          members={held ? members : null}
          onToggle={(id, on) => {
            setPicked(on ? [...members, id] : members.filter((x) => x !== id));
            setSaved(false);
          }}
        />
        {problem && <ProblemLine problem={problem} fieldLabel={fieldLabel} testid="channel-error" />}
        <div class="form-actions">
          {dirty && <span class="muted">{t('unsaved.note')}</span>}
          {saved && !dirty && (
            <span class="saved-note" data-testid="channel-saved">
              {t('admin.saved')}
            </span>
          )}
          <button type="submit" class="btn btn-primary" disabled={busy || !dirty} data-testid="channel-save">
            {busy ? t('admin.saving') : t('admin.save')}
          </button>
        </div>
      </form>
    </div>
  );
}

/** Who answers the channel's dialogs: a box per operator, saved with the channel's Save. */
function ChannelMembers({ loading, members, onToggle }: { loading: boolean; members: string[] | null; onToggle: (id: string, on: boolean) => void }) {
  const { state, t } = useAdmin('team');
  const operators = [...state.team.operators.values()].sort((a, b) => a.display_name.localeCompare(b.display_name));
  return (
    <fieldset class="field members" data-testid="channel-members">
      <legend>{t('channels.members')}</legend>
      {loading && <p class="list-note">{t('admin.loading')}</p>}
      {members && (
        <ul class="checks">
          {operators.map((o) => (
            <li key={o.id}>
              <label class="choice">
                <input
                  type="checkbox"
                  checked={members.includes(o.id)}
                  onChange={(e) => onToggle(o.id, e.currentTarget.checked)}
                  data-testid="channel-member"
                  data-operator-id={o.id}
                />
                <span class={`presence-dot presence-${o.presence}`} aria-hidden="true" />
                <span>{o.display_name}</span>
                <span class="muted">{o.email}</span>
              </label>
            </li>
          ))}
        </ul>
      )}
    </fieldset>
  );
}
