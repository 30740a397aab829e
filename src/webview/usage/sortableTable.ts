// A table sorted by clicking a column header (a button, so Tab and Enter or Space sort it too); the
// sorted column carries aria-sort for screen readers.
import { h } from '../shared/dom';

export interface Column<Row> {
  label: string;
  value(row: Row): string | number | undefined;
  format?(row: Row): string;
  numeric?: boolean;
}

export interface SortState {
  column: number;
  descending: boolean;
}

export function sortRows<Row>(rows: readonly Row[], columns: readonly Column<Row>[], sort: SortState): Row[] {
  const column = columns[sort.column]!;
  const sign = sort.descending ? -1 : 1;
  return [...rows].sort((a, b) => {
    const x = column.value(a);
    const y = column.value(b);
    if (x === y) return 0;
    if (x === undefined) return 1;
    if (y === undefined) return -1;
    return (x < y ? -1 : 1) * sign;
  });
}

export function sortableTable<Row>(caption: string, name: string, rows: readonly Row[], columns: readonly Column<Row>[], sort: SortState, onSort: (next: SortState) => void): HTMLTableElement {
  const header = h(
    'tr',
    {},
    ...columns.map((column, index) => {
      const active = index === sort.column;
      const button = h('button', { type: 'button', class: 'sort', 'data-column': String(index) }, column.label, h('span', { class: 'arrow', 'aria-hidden': 'true' }, active ? (sort.descending ? ' ▼' : ' ▲') : ''));
      button.addEventListener('click', () => onSort({ column: index, descending: active ? !sort.descending : column.numeric === true }));
      return h('th', { scope: 'col', class: column.numeric ? 'num' : undefined, 'aria-sort': active ? (sort.descending ? 'descending' : 'ascending') : 'none' }, button);
    }),
  );
  const body = h(
    'tbody',
    {},
    ...sortRows(rows, columns, sort).map((row) =>
      h('tr', {}, ...columns.map((column) => h('td', { class: column.numeric ? 'num' : undefined, 'data-value': String(column.value(row) ?? '') }, column.format ? column.format(row) : String(column.value(row) ?? '—')))),
    ),
  );
  return h('table', { class: 'totals', 'data-table': name }, h('caption', {}, caption), h('thead', {}, header), body);
}
