/** Channels: the list with who is online, a form to add one, and the chosen channel's settings. */
import { useState } from 'preact/hooks';
import type { Problem } from '../console-state';
import { ChannelEditor } from './ChannelEditor';
import { ProblemLine } from './ProblemLine';
import { useAdmin } from './use-admin';

export function ChannelsAdmin() {
  const { state, admin, t } = useAdmin('team');
  const channels = state.team.channels;
  const [pickedId, setPickedId] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const picked = channels.find((c) => c.id === pickedId) ?? channels[0] ?? null;

  const create = async (e: Event) => {
    e.preventDefault();
    if (!name.trim() || busy) return;
    setBusy(true);
    setProblem(null);
    const before = new Set(channels.map((c) => c.id));
    const refused = await admin.createChannel(name);
    setBusy(false);
    setProblem(refused);
    if (!refused) {
      setName('');
      setPickedId(state.team.channels.find((c) => !before.has(c.id))?.id ?? null);
    }
  };

  return (
    <section class="admin-section">
      <header class="admin-head">
        <h1>{t('channels.title')}</h1>
        <p>{t('channels.hint')}</p>
      </header>
      <div class="admin-columns">
        <div class="admin-card admin-list">
          <form class="inline-form" onSubmit={create}>
            <input
              value={name}
              maxLength={80}
              placeholder={t('channels.new_name')}
              aria-label={t('channels.new_name')}
              onInput={(e) => setName(e.currentTarget.value)}
              data-testid="channel-new-name"
            />
            <button type="submit" class="btn btn-primary" disabled={busy || !name.trim()} data-testid="channel-create">
              {t('channels.create')}
            </button>
          </form>
          {problem && <ProblemLine problem={problem} testid="channel-create-error" />}
          {channels.length === 0 && <p class="list-note">{t('channels.empty')}</p>}
          <ul>
            {channels.map((c) => (
              <li key={c.id}>
                <button
                  type="button"
                  class={`admin-item${picked?.id === c.id ? ' selected' : ''}`}
                  aria-current={picked?.id === c.id ? 'true' : undefined}
                  onClick={() => {
                    // Another channel's settings replace these: unsaved edits are asked about first.
                    const go = () => setPickedId(c.id);
                    if (picked?.id === c.id || state.team.unsaved.mayLeave(go)) go();
                  }}
                  data-testid="channel-item"
                  data-channel-id={c.id}
                >
                  <span class="admin-item-name">
                    {c.name}
                    {c.is_default && <span class="tag">{t('channels.default')}</span>}
                  </span>
                  <span class={`admin-item-note${c.online_members === 0 ? ' muted' : ''}`}>
                    <span class={`presence-dot presence-${c.online_members > 0 ? 'online' : 'offline'}`} aria-hidden="true" />
                    {t('channels.online', { n: c.online_members })}
                  </span>
                </button>
              </li>
            ))}
          </ul>
        </div>
        {picked && <ChannelEditor key={picked.id} channel={picked} />}
      </div>
    </section>
  );
}
