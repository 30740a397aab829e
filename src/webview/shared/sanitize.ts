// The last gate between model output and the page: only the elements and attributes markdown-it and
// highlight.js produce survive, links only to http(s)/mailto, classes only highlight.js's own and a table column's
// alignment.
import DOMPurify from 'dompurify';

const allowedTags = [
  'a', 'blockquote', 'br', 'code', 'del', 'em', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'li', 'ol', 'p',
  'pre', 's', 'span', 'strong', 'table', 'tbody', 'td', 'th', 'thead', 'tr', 'ul',
];
const allowedAttributes = ['href', 'class', 'start'];
const allowedClass = /^(hljs(-[\w-]+)?|language-[\w+#.-]+|[\w-]+_|align-(left|center|right))$/;

let hooked = false;
function installHooks(): void {
  if (hooked) return;
  hooked = true;
  DOMPurify.addHook('uponSanitizeAttribute', (_node, data) => {
    if (data.attrName === 'class') {
      data.attrValue = data.attrValue.split(/\s+/).filter((name) => allowedClass.test(name)).join(' ');
    }
    if (data.attrName === 'start' && !/^\d{1,9}$/.test(data.attrValue)) data.keepAttr = false;
  });
}

/** Parses and cleans `html`, returning nodes ready to insert (no second parse). */
export function sanitizeToFragment(html: string): DocumentFragment {
  installHooks();
  const fragment = DOMPurify.sanitize(html, {
    ALLOWED_TAGS: allowedTags,
    ALLOWED_ATTR: allowedAttributes,
    ALLOWED_URI_REGEXP: /^(?:https?:|mailto:)/i,
    ALLOW_DATA_ATTR: false,
    ALLOW_ARIA_ATTR: false,
    RETURN_DOM_FRAGMENT: true,
  });
  // A link whose address was refused (javascript:, relative, ...) is left as its text.
  for (const anchor of fragment.querySelectorAll('a:not([href])')) anchor.replaceWith(...anchor.childNodes);
  return fragment;
}
