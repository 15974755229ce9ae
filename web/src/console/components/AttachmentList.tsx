/**
 * The files of a message: images previewed inline (a click opens the full size in a new tab),
 * Ogg audio (Telegram's voice messages) and MP4 video played in place by the browser's own
 * player (nothing is fetched until the operator presses play), each of those with its download
 * link too, and other files as a download link with name and size. Bytes come from
 * `/api/v1/attachments/{id}` with the session cookie.
 */
import type { AttachmentView } from '../../shared/api-types';
import { useConsole } from '../context';
import { fileShow, sizeText } from '../files';

export const attachmentUrl = (id: string) => `/api/v1/attachments/${encodeURIComponent(id)}`;

/** A file's name and size, to download it. */
function FileLink({ file }: { file: AttachmentView }) {
  const { t, lang } = useConsole();
  return (
    <a
      class="attachment-file"
      href={attachmentUrl(file.id)}
      download={file.name}
      title={t('attachment.download', { name: file.name })}
      data-testid="attachment-file"
    >
      <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
        <path d="M6 2h8l5 5v13a2 2 0 0 1-2 2H6a2 2 0 0 1-2-2V4a2 2 0 0 1 2-2zm7 1.5V8h4.5" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linejoin="round" />
      </svg>
      <span class="attachment-name">{file.name}</span>
      <span class="attachment-size">{sizeText(t, lang, file.size)}</span>
    </a>
  );
}

function Attachment({ file }: { file: AttachmentView }) {
  const { t } = useConsole();
  const show = fileShow(file.content_type);
  if (show === 'image') {
    return (
      <a
        class="attachment-image"
        href={attachmentUrl(file.id)}
        target="_blank"
        rel="noopener noreferrer"
        title={t('attachment.open_full', { name: file.name })}
        data-testid="attachment-image"
      >
        <img src={attachmentUrl(file.id)} alt={file.name} loading="lazy" />
      </a>
    );
  }
  if (show === 'audio') {
    return (
      <div class="attachment-media attachment-audio" data-testid="attachment-audio">
        <audio controls preload="none" src={attachmentUrl(file.id)} aria-label={t('attachment.audio', { name: file.name })} />
        <FileLink file={file} />
      </div>
    );
  }
  if (show === 'video') {
    return (
      <div class="attachment-media attachment-video" data-testid="attachment-video">
        <video controls preload="none" playsInline src={attachmentUrl(file.id)} aria-label={t('attachment.video', { name: file.name })} />
        <FileLink file={file} />
      </div>
    );
  }
  return <FileLink file={file} />;
}

export function AttachmentList({ items }: { items: readonly AttachmentView[] | undefined }) {
  if (!items?.length) return null;
  return (
    <div class="attachments" data-testid="attachments">
      {items.map((a) => (
        <Attachment key={a.id} file={a} />
      ))}
    </div>
  );
}
