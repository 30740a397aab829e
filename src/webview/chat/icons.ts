// VS Code's own icons (the codicon font, media/codicons.css) for the panel's buttons. The names are the glyphs
// esbuild.mjs puts into that sheet: one not listed there would show nothing.
import { h } from '../shared/dom';

export type IconName = 'copy' | 'refresh' | 'chevron-down' | 'edit' | 'send' | 'debug-stop' | 'check' | 'close' | 'trash';

export function icon(name: IconName): HTMLElement {
  return h('span', { class: `codicon codicon-${name}`, 'aria-hidden': 'true' });
}

/** A button showing only an icon: `label` is its accessible name and its tooltip. */
export function iconButton(name: IconName, label: string, attributes: Record<string, string | boolean | undefined> = {}): HTMLButtonElement {
  const extra = attributes.class ? ` ${String(attributes.class)}` : '';
  return h('button', { type: 'button', ...attributes, class: `icon-only${extra}`, 'aria-label': label, title: label }, icon(name));
}
