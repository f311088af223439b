/**
 * The links VS Code makes clickable in a notification's message (parseLinkedText, vs/base/common/linkedText.ts, as in
 * the workbench code-server ships): `[label](href)` with an https:, http:, command: or file: href, an optional title.
 */
export const NOTIFICATION_LINK = /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^)\s]+)(?: (["'])(.+?)(\3))?\)/gi;
