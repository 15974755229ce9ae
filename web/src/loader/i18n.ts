/** The loader's few words (button labels), Russian and English, same keys. */
export const ru = {
  open: 'Открыть чат',
  close: 'Свернуть чат',
  frame_title: 'Чат поддержки',
  unread: 'Непрочитанных: {n}',
  teaser_close: 'Скрыть сообщение',
};

export const en: Record<keyof typeof ru, string> = {
  open: 'Open chat',
  close: 'Minimise chat',
  frame_title: 'Support chat',
  unread: 'Unread: {n}',
  teaser_close: 'Dismiss the message',
};
