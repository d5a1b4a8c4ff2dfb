import type { z, ZodType } from 'zod';

/**
 * Subjects that carry their message type, so the bus checks at compile time
 * that a producer publishes, and a consumer subscribes with, what the
 * subject's schema describes. At runtime a subject is still a plain string;
 * the type is a brand the compiler sees. Only the builders in libs/core
 * (subjects, patterns and the few message modules that name their subject)
 * mint these, each from the schema its messages are parsed by.
 *
 * T is what a subscriber receives (the schema's output), I what a producer
 * may publish (its input: a field with a default may be left out).
 */
declare const messageBrand: unique symbol;
declare const concreteBrand: unique symbol;

/**
 * A subscription pattern (wildcards allowed) whose messages are T. The brand
 * is a function from I to T, so the variance is the sound one: a pattern may
 * be widened to what it delivers (SubjectPattern<unknown, never> holds any),
 * never to a different message type; a subject may be narrowed in what it
 * accepts, never widened. A plain string is neither.
 */
export type SubjectPattern<T, I = T> = string & { readonly [messageBrand]: (message: I) => T };

/** One concrete subject (no wildcard) whose messages are T: what publish takes. A subject is also a pattern matching itself. */
export type Subject<T, I = T> = SubjectPattern<T, I> & { readonly [concreteBrand]: true };

/** What a subscriber to S receives. */
export type MessageOf<S> = S extends SubjectPattern<infer T, infer _I> ? T : never;

/** A subject builder with its schema reachable from it (`subjects.bbo.schema`). */
export type SubjectBuilder<A extends unknown[], S extends ZodType> = ((...args: A) => Subject<z.output<S>, z.input<S>>) & { readonly schema: S };

/** A pattern builder, likewise. */
export type PatternBuilder<A extends unknown[], S extends ZodType> = ((...args: A) => SubjectPattern<z.output<S>, z.input<S>>) & { readonly schema: S };

/** Brands a builder's subjects with the schema their messages are parsed by. */
export function subjectBuilder<A extends unknown[], S extends ZodType>(schema: S, build: (...args: A) => string): SubjectBuilder<A, S> {
  return Object.assign((...args: A) => build(...args) as Subject<z.output<S>, z.input<S>>, { schema });
}

/** Brands a pattern builder likewise. */
export function patternBuilder<A extends unknown[], S extends ZodType>(schema: S, build: (...args: A) => string): PatternBuilder<A, S> {
  return Object.assign((...args: A) => build(...args) as SubjectPattern<z.output<S>, z.input<S>>, { schema });
}

/**
 * A fixed pattern (`md.book.>`) whose messages `schema` parses. The schema
 * only names the type here: a string cannot hold it, and the subscriber
 * passes the schema it parses with (checked against this type).
 */
export function fixedPattern<S extends ZodType>(schema: S, pattern: string): SubjectPattern<z.output<S>, z.input<S>> {
  void schema;
  return pattern as SubjectPattern<z.output<S>, z.input<S>>;
}
