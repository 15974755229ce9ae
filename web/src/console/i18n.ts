/** Every string the operator console shows, in Russian and English (same keys in both). */
import { translator, type Lang } from '../shared/i18n';

export const ru = {
  'app.name': 'Frontline',
  'app.title_unread': '({n}) Frontline',
  'app.loading': 'Загрузка…',
  'app.load_failed': 'Не удалось связаться с сервером.',
  'app.retry': 'Повторить',

  'login.title': 'Вход в консоль оператора',
  'login.email': 'E-mail',
  'login.password': 'Пароль',
  'login.workspace': 'Рабочее пространство',
  'login.workspace_hint': 'Этот e-mail есть в нескольких пространствах — укажите нужное (например, acme).',
  'login.submit': 'Войти',
  'login.submitting': 'Входим…',

  'header.language': 'Язык интерфейса',
  'header.logout': 'Выйти',
  'header.role_admin': 'Администратор',
  'header.role_supervisor': 'Старший оператор',
  'header.role_operator': 'Оператор',

  'status.label': 'Показать диалоги',
  'status.open': 'Открытые',
  'status.closed': 'Закрытые',
  'status.all': 'Все',

  'list.title': 'Диалоги',
  'list.loading': 'Загружаем диалоги…',
  'list.empty_open': 'Открытых диалогов нет. Новые обращения появятся здесь сами.',
  'list.empty_closed': 'Закрытых диалогов пока нет.',
  'list.empty_all': 'Диалогов пока нет.',
  'list.load_more': 'Показать ещё',
  'list.operator': 'Оператор: ',
  'list.no_messages': 'Сообщений пока нет',
  'list.unread': 'Непрочитанных: {n}',

  'visitor.numbered': 'Посетитель {n}',

  'dialog.number': '№ {n}',
  'dialog.status_open': 'Открыт',
  'dialog.status_closed': 'Закрыт',
  'dialog.close': 'Закрыть диалог',
  'dialog.closing': 'Закрываем…',
  'dialog.select': 'Выберите диалог в списке слева',
  'dialog.select_hint': 'Новые обращения появляются в списке сразу, без обновления страницы.',
  'dialog.loading': 'Загружаем сообщения…',
  'dialog.empty': 'В этом диалоге пока нет сообщений.',
  'dialog.closed_note': 'Диалог закрыт.',
  'dialog.back': 'К списку',
  'dialog.messages': 'Сообщения диалога',

  'author.you': 'Вы',
  'author.operator': 'Оператор',
  'author.system': 'Система',

  'composer.placeholder': 'Ответ посетителю…',
  'composer.hint': 'Enter — отправить, Shift+Enter — новая строка',
  'composer.send': 'Отправить',

  'message.sending': 'Отправляется…',
  'message.failed': 'Не отправлено',
  'message.retry': 'Повторить',
  'message.discard': 'Удалить',
  'message.edit': 'Изменить',

  'time.now': 'сейчас',
  'time.minutes': '{n} мин',
  'time.hours': '{n} ч',
  'time.yesterday': 'вчера',

  'connection.offline': 'Нет соединения с сервером. Переподключаемся…',
  'notice.dismiss': 'Скрыть',

  'error.invalid_credentials': 'Неверный e-mail или пароль.',
  'error.workspace_required': 'Укажите рабочее пространство.',
  'error.validation_failed': 'Проверьте заполнение полей.',
  'error.validation_failed_field': 'Проверьте поле «{field}».',
  'error.bad_json': 'Сервер не понял запрос. Обновите страницу.',
  'error.unauthenticated': 'Сессия истекла. Войдите снова.',
  'error.forbidden': 'Недостаточно прав для этого действия.',
  'error.not_found': 'Не найдено.',
  'error.dialog_not_found': 'Диалог не найден.',
  'error.dialog_closed': 'Диалог уже закрыт.',
  'error.empty_message': 'Сообщение пустое.',
  'error.message_too_long': 'Сообщение слишком длинное (не больше {limit} символов).',
  'error.message_too_long_nolimit': 'Сообщение слишком длинное.',
  'error.rate_limited': 'Слишком много запросов. Подождите немного.',
  'error.unavailable': 'Сервер временно недоступен. Повторите позже.',
  'error.network': 'Нет связи с сервером.',
  'error.internal': 'Внутренняя ошибка сервера.',
  'error.unknown': 'Что-то пошло не так.',
} as const;

export type ConsoleKey = keyof typeof ru;

export const en: Record<ConsoleKey, string> = {
  'app.name': 'Frontline',
  'app.title_unread': '({n}) Frontline',
  'app.loading': 'Loading…',
  'app.load_failed': 'Cannot reach the server.',
  'app.retry': 'Retry',

  'login.title': 'Sign in to the operator console',
  'login.email': 'E-mail',
  'login.password': 'Password',
  'login.workspace': 'Workspace',
  'login.workspace_hint': 'This e-mail belongs to several workspaces — enter the one you want (e.g. acme).',
  'login.submit': 'Sign in',
  'login.submitting': 'Signing in…',

  'header.language': 'Interface language',
  'header.logout': 'Sign out',
  'header.role_admin': 'Administrator',
  'header.role_supervisor': 'Supervisor',
  'header.role_operator': 'Operator',

  'status.label': 'Show dialogs',
  'status.open': 'Open',
  'status.closed': 'Closed',
  'status.all': 'All',

  'list.title': 'Dialogs',
  'list.loading': 'Loading dialogs…',
  'list.empty_open': 'No open dialogs. New ones will appear here by themselves.',
  'list.empty_closed': 'No closed dialogs yet.',
  'list.empty_all': 'No dialogs yet.',
  'list.load_more': 'Show more',
  'list.operator': 'Operator: ',
  'list.no_messages': 'No messages yet',
  'list.unread': 'Unread: {n}',

  'visitor.numbered': 'Visitor {n}',

  'dialog.number': '#{n}',
  'dialog.status_open': 'Open',
  'dialog.status_closed': 'Closed',
  'dialog.close': 'Close dialog',
  'dialog.closing': 'Closing…',
  'dialog.select': 'Select a dialog in the list on the left',
  'dialog.select_hint': 'New conversations appear in the list right away, no reload needed.',
  'dialog.loading': 'Loading messages…',
  'dialog.empty': 'No messages in this dialog yet.',
  'dialog.closed_note': 'This dialog is closed.',
  'dialog.back': 'Back to the list',
  'dialog.messages': 'Dialog messages',

  'author.you': 'You',
  'author.operator': 'Operator',
  'author.system': 'System',

  'composer.placeholder': 'Reply to the visitor…',
  'composer.hint': 'Enter to send, Shift+Enter for a new line',
  'composer.send': 'Send',

  'message.sending': 'Sending…',
  'message.failed': 'Not sent',
  'message.retry': 'Retry',
  'message.discard': 'Delete',
  'message.edit': 'Edit',

  'time.now': 'now',
  'time.minutes': '{n} min',
  'time.hours': '{n} h',
  'time.yesterday': 'yesterday',

  'connection.offline': 'No connection to the server. Reconnecting…',
  'notice.dismiss': 'Dismiss',

  'error.invalid_credentials': 'Wrong e-mail or password.',
  'error.workspace_required': 'Please enter the workspace.',
  'error.validation_failed': 'Please check the fields.',
  'error.validation_failed_field': 'Please check the “{field}” field.',
  'error.bad_json': 'The server did not understand the request. Reload the page.',
  'error.unauthenticated': 'Your session has expired. Please sign in again.',
  'error.forbidden': 'You are not allowed to do this.',
  'error.not_found': 'Not found.',
  'error.dialog_not_found': 'Dialog not found.',
  'error.dialog_closed': 'The dialog is already closed.',
  'error.empty_message': 'The message is empty.',
  'error.message_too_long': 'The message is too long (at most {limit} characters).',
  'error.message_too_long_nolimit': 'The message is too long.',
  'error.rate_limited': 'Too many requests. Please wait a moment.',
  'error.unavailable': 'The server is temporarily unavailable. Try again later.',
  'error.network': 'Cannot reach the server.',
  'error.internal': 'Internal server error.',
  'error.unknown': 'Something went wrong.',
};

export const tables: Record<Lang, Record<ConsoleKey, string>> = { ru, en };

export const makeT = (lang: Lang) => translator<ConsoleKey>(tables[lang]);
