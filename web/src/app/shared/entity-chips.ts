import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { Entity } from '../core/api.types';
import { humanize } from './format';

const LABELS: Record<string, string> = {
  order_number: 'Order',
  email: 'Email',
  money: 'Amount',
  date: 'Date',
  size: 'Size',
};

/** One chip: "Order SD-482913", with what the customer wrote ("£75", "yesterday") for a tooltip. */
export interface EntityChip {
  /** kind and value: unique among the chips */
  key: string;
  kind: string;
  label: string;
  value: string;
  written: string;
}

const str = (v: unknown): string => (typeof v === 'string' ? v.trim() : '');

/**
 * An interaction's entities as chips, in the order found: a label by kind (a kind the app does not know by its
 * name), the normalized value (or the text when there is none); the same kind and value once; entries without a
 * kind or anything to show are left out, and so is a list that is not one (older data has none).
 */
export function entityChips(entities: readonly Entity[] | null | undefined): EntityChip[] {
  if (!Array.isArray(entities)) return [];
  const chips: EntityChip[] = [];
  const seen = new Set<string>();
  for (const e of entities) {
    const kind = str(e?.kind);
    const written = str(e?.text);
    const value = str(e?.value) || written;
    const key = `${kind}\u0000${value}`;
    if (!kind || !value || seen.has(key)) continue;
    seen.add(key);
    chips.push({ key, kind, label: LABELS[kind] ?? humanize(kind), value, written });
  }
  return chips;
}

/** What a customer's question names (order number, email, amount, date, size) as small labelled chips. */
@Component({
  selector: 'app-entity-chips',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (chips().length) {
      <ul class="entity-chips" aria-label="Details in the question">
        @for (c of chips(); track c.key) {
          <li
            class="chip"
            [attr.data-kind]="c.kind"
            [attr.title]="
              c.written && c.written !== c.value ? 'Written as “' + c.written + '”' : null
            "
          >
            {{ c.label }} <span class="chip-value">{{ c.value }}</span>
          </li>
        }
      </ul>
    }
  `,
  styles: `
    :host {
      display: block;
    }
    .entity-chips {
      list-style: none;
      display: flex;
      flex-wrap: wrap;
      gap: 0.25rem;
      margin: 0.25rem 0;
      padding: 0;
    }
    .chip {
      display: inline-block;
      max-width: 100%;
      font-size: 0.8rem;
      line-height: 1.4;
      padding: 0.05rem 0.45rem;
      border: 1px solid var(--line);
      border-radius: 4px;
      background: #f3f6fb;
      color: var(--muted);
    }
    .chip-value {
      color: var(--fg);
      font-weight: 600;
      overflow-wrap: anywhere;
      /* one click selects the whole value, ready to copy */
      user-select: all;
    }
    .chip[data-kind='order_number'] .chip-value {
      font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
    }
  `,
})
export class EntityChips {
  /** absent or null (older data): no chips */
  readonly entities = input<readonly Entity[] | null | undefined>([]);
  protected readonly chips = computed(() => entityChips(this.entities()));
}
