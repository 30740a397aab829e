// The numbered web sources under an answer (its `url_citation` annotations). Each is a plain link: the
// page's link guard hands it to the extension, which shows the address and asks before opening it.
import type { AnswerCitation } from '../../protocols/chat';
import { h } from '../shared/dom';

/** The list's element for `citations` (hidden while there are none), filled in place when it already exists. */
export function renderCitations(citations: readonly AnswerCitation[] | undefined, into?: HTMLElement): HTMLElement {
  const section = into ?? h('section', { class: 'citations', 'aria-label': 'Sources' });
  const list = citations ?? [];
  section.hidden = list.length === 0;
  section.replaceChildren(
    h('div', { class: 'citations-title' }, 'Sources'),
    h(
      'ol',
      {},
      ...list.map((citation) => h('li', {}, h('a', { href: citation.url, title: citation.url }, citation.title), ' ', h('span', { class: 'citation-host muted' }, hostOf(citation.url)))),
    ),
  );
  return section;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '';
  }
}
