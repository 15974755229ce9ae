/**
 * The files of a message: images previewed, other files as a download button with name and
 * size. The bytes come with the visitor's token in a header and show through object URLs.
 */
import { useEffect, useState } from 'preact/hooks';
import type { AttachmentView } from '../../shared/api-types';
import { isImage } from '../../shared/uploads';
import { useChatEnv } from '../context';
import { sizeText } from '../files';

export function Attachments({ files }: { files: readonly AttachmentView[] }) {
  if (files.length === 0) return null;
  return (
    <div class="files" data-testid="message-files">
      {files.map((f) => (isImage(f.content_type) ? <ImagePreview key={f.id} file={f} /> : <FileLink key={f.id} file={f} />))}
    </div>
  );
}

function ImagePreview({ file }: { file: AttachmentView }) {
  const { chat, t } = useChatEnv();
  const [url, setUrl] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let live = true;
    chat.fileUrl(file.id).then(
      (u) => live && setUrl(u),
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, [file.id]);

  if (failed) return <FileLink file={file} />;
  return (
    <a
      class="file-image"
      href={url ?? undefined}
      target="_blank"
      rel="noopener"
      data-testid="attachment-image"
      data-loaded={url ? 'true' : 'false'}
      title={file.name}
    >
      {url ? <img src={url} alt={t('file.image', { name: file.name })} /> : <span class="file-image-wait" aria-hidden="true" />}
    </a>
  );
}

function FileLink({ file }: { file: AttachmentView }) {
  const { chat, t, lang } = useChatEnv();
  const [failed, setFailed] = useState(false);
  return (
    <button
      type="button"
      class="file-link"
      data-testid="attachment-file"
      title={t('file.download', { name: file.name })}
      onClick={() => chat.download(file).then(() => setFailed(false), () => setFailed(true))}
    >
      <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
        <path d="M14 3H7a2 2 0 00-2 2v14a2 2 0 002 2h10a2 2 0 002-2V8zM14 3v5h5" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linejoin="round" />
      </svg>
      <span class="file-text">
        <span class="file-name">{file.name}</span>
        <span class="file-size">{failed ? t('file.unavailable') : sizeText(t, lang, file.size)}</span>
      </span>
    </button>
  );
}

/** The files of a send still on its way: names only (nothing to fetch yet). */
export function PendingFiles({ files }: { files: readonly { id: string; name: string; size: number }[] }) {
  const { t, lang } = useChatEnv();
  if (files.length === 0) return null;
  return (
    <div class="files">
      {files.map((f) => (
        <span key={f.id} class="file-link">
          <span class="file-text">
            <span class="file-name">{f.name}</span>
            <span class="file-size">{sizeText(t, lang, f.size)}</span>
          </span>
        </span>
      ))}
    </div>
  );
}
