// The fields of BibTeX entries, packed: one Int32Array per scan holds four numbers a field (name, name start, value
// start, value end) instead of an object per field, which made a million small objects of a 100,000-entry file.
import type { BibtexEntry, BibtexField } from '../types';

/** Numbers per field in `BibtexFieldTable.data`: name number, name start, value start, value end. */
export const FIELD_STRIDE = 4;

/** The fields of the entries one scan read, in reading order. An entry's fields are a run of them. */
export class BibtexFieldTable {
  /** The table's distinct lower-cased field names; a field's first number indexes this list. */
  readonly names: string[] = [];
  private readonly nameNumbers = new Map<string, number>();
  data: Int32Array;
  /** Fields stored so far. */
  count = 0;

  constructor(capacity = 64) {
    this.data = new Int32Array(capacity * FIELD_STRIDE);
  }

  /** Appends a field; returns its number. */
  add(name: string, nameStart: number, valueStart: number, valueEnd: number): number {
    let nameNumber = this.nameNumbers.get(name);
    if (nameNumber === undefined) {
      nameNumber = this.names.length;
      this.names.push(name);
      this.nameNumbers.set(name, nameNumber);
    }
    let at = this.count * FIELD_STRIDE;
    if (at + FIELD_STRIDE > this.data.length) {
      const grown = new Int32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    const data = this.data;
    data[at++] = nameNumber;
    data[at++] = nameStart;
    data[at++] = valueStart;
    data[at] = valueEnd;
    return this.count++;
  }

  /** Gives back the unused room once the scan is done. */
  trim(): void {
    if (this.data.length > this.count * FIELD_STRIDE) this.data = this.data.slice(0, this.count * FIELD_STRIDE);
  }
}

/** The table of entries whose fields were not recorded (`scanBibtexKeys`). */
export const NO_FIELDS = new BibtexFieldTable(0);

/** The lower-cased name of an entry's i-th field. */
export function fieldNameOf(entry: BibtexEntry, i: number): string {
  const { names, data } = entry.fieldTable;
  return names[data[(entry.firstField + i) * FIELD_STRIDE]];
}

/** The i-th field of an entry as an object (made on demand; 0 ≤ i < entry.fieldCount). */
export function fieldOf(entry: BibtexEntry, i: number): BibtexField {
  const { names, data } = entry.fieldTable;
  const at = (entry.firstField + i) * FIELD_STRIDE;
  return { name: names[data[at]], nameStart: data[at + 1], valueStart: data[at + 2], valueEnd: data[at + 3] };
}

/** All fields of an entry as objects, in the order the file gives them. For one entry at a time, not for a whole file. */
export function fieldsOf(entry: BibtexEntry): BibtexField[] {
  const out: BibtexField[] = [];
  for (let i = 0; i < entry.fieldCount; i++) out.push(fieldOf(entry, i));
  return out;
}

/** Moves an entry's fields `delta` characters, in place. */
export function moveFields(entry: BibtexEntry, delta: number): void {
  const data = entry.fieldTable.data;
  const end = (entry.firstField + entry.fieldCount) * FIELD_STRIDE;
  for (let at = entry.firstField * FIELD_STRIDE; at < end; at += FIELD_STRIDE) {
    data[at + 1] += delta;
    data[at + 2] += delta;
    data[at + 3] += delta;
  }
}
