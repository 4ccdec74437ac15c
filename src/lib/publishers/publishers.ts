import { z } from 'zod';
import type { ConfigIssue } from '../core/config-issue';
import { customPublisher } from './custom';
import { npmPublisher } from './npm';
import type { Publisher } from './publisher';

// Every publisher, by the kind of the entries it reads: the one place they are listed. An entry
// goes to the first one (in this order) whose shape it has.
const ADAPTERS = {
  npm: npmPublisher,
  custom: customPublisher,
};

type Adapter = (typeof ADAPTERS)[keyof typeof ADAPTERS];
type InputOf<P> = P extends Publisher<infer Input, unknown, unknown> ? Input : never;
type EntryOf<P> = P extends Publisher<unknown, infer Entry, unknown> ? Entry : never;
type TargetOf<P> = P extends Publisher<unknown, unknown, infer Target> ? Target : never;

// A devops.publish entry as written: any publisher's shape.
export type PublishEntryInput = InputOf<Adapter>;
// A devops.publish entry once validated, tagged with the kind of its publisher.
export type PublishEntry = EntryOf<Adapter>;
// A package to publish, as its publisher resolved it (npm: with what its package.json says).
export type PublishTarget = TargetOf<Adapter>;
export type PublisherKind = PublishEntry['kind'];

// Any publisher, as generic code calls it: with an entry or target of its own kind (a method's
// parameters are checked both ways, so each adapter is one of these).
export type AnyPublisher = Publisher<PublishEntryInput, PublishEntry, PublishTarget>;

// The publisher of an entry or target is PUBLISHERS[entry.kind]: every kind has one.
export const PUBLISHERS: Readonly<Record<PublisherKind, AnyPublisher>> = ADAPTERS;

const LIST: readonly AnyPublisher[] = Object.values(PUBLISHERS);
const SHAPES = `must be ${LIST.map((publisher) => publisher.shape).join(' or ')}`;

// The shape of a devops.publish entry: one of the publishers'.
export const publishEntrySchema = z.union(
  LIST.map((publisher) => publisher.schema),
  { error: SHAPES },
);

// The one place an entry's publisher is chosen: the first whose shape the entry has reads it.
export function readPublishEntry(
  input: PublishEntryInput,
  at: string,
): { entry: PublishEntry } | { issues: ConfigIssue[] } {
  for (const publisher of LIST) {
    const parsed = publisher.schema.safeParse(input);
    if (parsed.success) return publisher.readEntry(parsed.data, at);
  }
  return { issues: [{ path: at, problem: SHAPES, fix: 'see the README for the accepted forms' }] };
}
