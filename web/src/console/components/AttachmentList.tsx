/**
 * The files of a message: images previewed inline (a click opens the full size in a new tab),
 * other files as a download link with name and size. Bytes come from
 * `/api/v1/attachments/{id}` with the session cookie.
 */
import type { AttachmentView } from '../../shared/api-types';
import { isImage } from '../../shared/uploads';
import { useConsole } from '../context';
import { sizeText } from '../files';

export const attachmentUrl = (id: string) => `/api/v1/attachments/${encodeURIComponent(id)}`;

export function AttachmentList({ items }: { items: readonly AttachmentView[] | undefined }) {
  const { t, lang } = useConsole();
  if (!items?.length) return null;
  return (
    <div class="attachments" data-testid="attachments">
      {items.map((a) =>
        isImage(a.content_type) ? (
          <a
            key={a.id}
            class="attachment-image"
            href={attachmentUrl(a.id)}
            target="_blank"
            rel="noopener noreferrer"
            title={t('attachment.open_full', { name: a.name })}
            data-testid="attachment-image"
          >
            <img src={attachmentUrl(a.id)} alt={a.name} loading="lazy" />
          </a>
        ) : (
          <a
            key={a.id}
            class="attachment-file"
            href={attachmentUrl(a.id)}
            download={a.name}
            title={t('attachment.download', { name: a.name })}
            data-testid="attachment-file"
          >
            <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
              <path d="M6 2h8l5 5v13a2 2 0 0 1-2 2H6a2 2 0 0 1-2-2V4a2 2 0 0 1 2-2zm7 1.5V8h4.5" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linejoin="round" />
            </svg>
            <span class="attachment-name">{a.name}</span>
            <span class="attachment-size">{sizeText(t, lang, a.size)}</span>
          </a>
        ),
      )}
    </div>
  );
}
