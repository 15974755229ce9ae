/**
 * A channel's automation page (reached from the channel's settings): which channel, then its
 * document loaded (GET) into the form and saved whole (PUT).
 */
import { useEffect } from 'preact/hooks';
import { problemText } from '../context';
import { pathFor } from '../routes';
import { AutomationForm } from './AutomationForm';
import { useAdmin } from './use-admin';

export function AutomationAdmin({ channelId }: { channelId?: string | null }) {
  const { state, admin, t, lang } = useAdmin('team');
  const channels = state.team.channels;
  // No channel named (or one since deleted): the default channel's.
  const channel = channels.find((c) => c.id === channelId) ?? channels.find((c) => c.is_default) ?? channels[0] ?? null;
  const id = channel?.id ?? null;

  useEffect(() => {
    if (id && !admin.automation.has(id)) void admin.loadAutomation(id);
  }, [id]);

  const doc = id ? admin.automation.get(id) : undefined;
  const loading = id ? admin.automationLoading.has(id) : false;
  const problem = id ? admin.automationProblems.get(id) : undefined;
  const toChannels = (e: MouseEvent) => {
    if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
    e.preventDefault();
    state.navigate({ view: 'admin', section: 'channels' });
  };

  return (
    <section class="admin-section automation-section">
      <header class="admin-head">
        <a class="link back-link" href={pathFor({ view: 'admin', section: 'channels' })} onClick={toChannels} data-testid="automation-back">
          ← {t('automation.back')}
        </a>
        <h1 data-testid="automation-title">{channel ? t('automation.title', { name: channel.name }) : t('automation.title_plain')}</h1>
        <p>{t('automation.hint')}</p>
      </header>
      {channels.length > 1 && channel && (
        <label class="filter automation-channel">
          <span>{t('automation.channel')}</span>
          <select
            value={channel.id}
            onChange={(e) => state.navigate({ view: 'admin', section: 'automation', channelId: e.currentTarget.value })}
            data-testid="automation-channel"
          >
            {channels.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
      )}
      {!channel && <p class="list-note">{t('admin.loading')}</p>}
      {channel && !doc && loading && <p class="list-note">{t('admin.loading')}</p>}
      {channel && problem && (
        <p class="form-error" role="alert" data-testid="automation-load-error" data-code={problem.code}>
          {problemText(t, lang, problem)}{' '}
          <button type="button" class="link" onClick={() => void admin.loadAutomation(channel.id)}>
            {t('app.retry')}
          </button>
        </p>
      )}
      {channel && doc && <AutomationForm key={channel.id} channelId={channel.id} doc={doc} />}
    </section>
  );
}
