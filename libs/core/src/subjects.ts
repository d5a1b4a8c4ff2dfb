import {
  ArbEpisodeMessage, ArbOpportunityMessage, ArbStatsMessage, BboMessage, BookMessage, ControlAuditMessage, DepthMessage, Fill, FundingPayment, MarkMessage,
  OrderCommand, OrderEvent, OrderIntent, PositionMessage, QuoteIntent, QuoteSetTakenMessage, RiskRejectMessage, RiskStateMessage, StrategyStatsMessage,
  StrategyYieldMessage, TradeMessage, VenueStatusMessage,
} from './messages/index.js';
import { fixedPattern, patternBuilder, subjectBuilder, type Subject, type SubjectPattern } from './subject.js';

/**
 * NATS subject names, built in one place. Tokens are validated so a venue or
 * symbol can never inject a wildcard or an extra level. Each published
 * subject and pattern carries its message type (see subject.ts), and each
 * builder its schema (`subjects.bbo.schema`), so the bus type-checks producers
 * and consumers against the schema.
 */
const TOKEN = /^[A-Za-z0-9_-]+$/;

function token(kind: string, value: string): string {
  if (!TOKEN.test(value)) throw new Error(`invalid ${kind} for a subject: ${JSON.stringify(value)}`);
  return value;
}

/**
 * A request/reply subject (control.*): request and serve name their schemas
 * at both ends, so it carries none. Plain publish accepts nothing on it
 * (`never`); a plain subscriber observing the requests receives `unknown`.
 */
export type RequestSubject = Subject<unknown, never>;

export const subjects = {
  book: subjectBuilder(BookMessage, (venue: string, symbol: string) => `md.book.${token('venue', venue)}.${token('symbol', symbol)}`),
  /** The venue's raw book changes (opt-in): see DepthMessage. */
  depth: subjectBuilder(DepthMessage, (venue: string, symbol: string) => `md.depth.${token('venue', venue)}.${token('symbol', symbol)}`),
  bbo: subjectBuilder(BboMessage, (venue: string, symbol: string) => `md.bbo.${token('venue', venue)}.${token('symbol', symbol)}`),
  trade: subjectBuilder(TradeMessage, (venue: string, symbol: string) => `md.trade.${token('venue', venue)}.${token('symbol', symbol)}`),
  mark: subjectBuilder(MarkMessage, (venue: string, symbol: string) => `md.mark.${token('venue', venue)}.${token('symbol', symbol)}`),
  status: subjectBuilder(VenueStatusMessage, (venue: string) => `md.status.${token('venue', venue)}`),
  arbOpportunity: subjectBuilder(ArbOpportunityMessage, (symbol: string) => `arb.opportunity.${token('symbol', symbol)}`),
  arbStats: subjectBuilder(ArbStatsMessage, () => 'arb.stats'),
  arbEpisode: subjectBuilder(ArbEpisodeMessage, (symbol: string) => `arb.episode.${token('symbol', symbol)}`),
  quoteIntent: subjectBuilder(QuoteIntent, (strategy: string) => `intent.quote.${token('strategy', strategy)}`),
  orderIntent: subjectBuilder(OrderIntent, (strategy: string) => `intent.order.${token('strategy', strategy)}`),
  orderCommand: subjectBuilder(OrderCommand, (venue: string) => `order.cmd.${token('venue', venue)}`),
  orderEvent: subjectBuilder(OrderEvent, (venue: string) => `order.event.${token('venue', venue)}`),
  /** QuoteSetTakenMessage: the quote set a venue's router started working and the ones it skipped (risk's in-flight approvals). */
  quoteSetTaken: subjectBuilder(QuoteSetTakenMessage, (venue: string) => `router.quotes.taken.${token('venue', venue)}`),
  fill: subjectBuilder(Fill, (venue: string, symbol: string) => `fill.${token('venue', venue)}.${token('symbol', symbol)}`),
  /** Names the venue: two venues' positions on one account and symbol are two positions. */
  position: subjectBuilder(PositionMessage, (venue: string, account: string, symbol: string) => `position.${token('venue', venue)}.${token('account', account)}.${token('symbol', symbol)}`),
  /** FundingPayment, once booked into the store by the venue's router: position holders re-read the position. */
  funding: subjectBuilder(FundingPayment, (venue: string, account: string, symbol: string) => `funding.${token('venue', venue)}.${token('account', account)}.${token('symbol', symbol)}`),
  strategyStats: subjectBuilder(StrategyStatsMessage, (strategy: string) => `strategy.stats.${token('strategy', strategy)}`),
  riskState: subjectBuilder(RiskStateMessage, () => 'risk.state'),
  riskReject: subjectBuilder(RiskRejectMessage, () => 'risk.reject'),
  /** StrategyYieldMessage: a strategy's maker-yield standing. */
  strategyYield: subjectBuilder(StrategyYieldMessage, (strategy: string) => `strategy.yield.${token('strategy', strategy)}`),
  control: (service: string, verb: string) => `control.${token('service', service)}.${token('verb', verb)}` as RequestSubject,
  /**
   * One strategy's controls (pause, resume, params): the quoter hosting it
   * answers, so several quoters never answer for each other's strategies.
   */
  strategyControl: (verb: 'pause' | 'resume' | 'params', strategy: string) => `control.quoter.${verb}.${token('strategy', strategy)}` as RequestSubject,
  /** Every control action taken through a dashboard replica (who, when, what, outcome), so all replicas show one log. */
  controlAudit: subjectBuilder(ControlAuditMessage, () => 'control.audit'),
} as const;

/** Wildcard patterns for subscribers. */
export const patterns = {
  allBooks: fixedPattern(BookMessage, 'md.book.>'),
  allBbo: fixedPattern(BboMessage, 'md.bbo.>'),
  bboOf: patternBuilder(BboMessage, (venue: string) => `md.bbo.${token('venue', venue)}.*`),
  booksOf: patternBuilder(BookMessage, (venue: string) => `md.book.${token('venue', venue)}.*`),
  allDepth: fixedPattern(DepthMessage, 'md.depth.>'),
  depthOf: patternBuilder(DepthMessage, (venue: string) => `md.depth.${token('venue', venue)}.*`),
  allTrades: fixedPattern(TradeMessage, 'md.trade.>'),
  tradesOf: patternBuilder(TradeMessage, (venue: string) => `md.trade.${token('venue', venue)}.*`),
  allMarks: fixedPattern(MarkMessage, 'md.mark.>'),
  marksOf: patternBuilder(MarkMessage, (venue: string) => `md.mark.${token('venue', venue)}.*`),
  allStatus: fixedPattern(VenueStatusMessage, 'md.status.*'),
  allQuoteIntents: fixedPattern(QuoteIntent, 'intent.quote.*'),
  allOrderIntents: fixedPattern(OrderIntent, 'intent.order.*'),
  allOrderEvents: fixedPattern(OrderEvent, 'order.event.*'),
  allQuoteSetsTaken: fixedPattern(QuoteSetTakenMessage, 'router.quotes.taken.*'),
  allFills: fixedPattern(Fill, 'fill.>'),
  allPositions: fixedPattern(PositionMessage, 'position.>'),
  allFunding: fixedPattern(FundingPayment, 'funding.>'),
  allArbOpportunities: fixedPattern(ArbOpportunityMessage, 'arb.opportunity.>'),
  allArbEpisodes: fixedPattern(ArbEpisodeMessage, 'arb.episode.>'),
  allStrategyStats: fixedPattern(StrategyStatsMessage, 'strategy.stats.*'),
  allStrategyYield: fixedPattern(StrategyYieldMessage, 'strategy.yield.*'),
  /** Every control request to one service (an observer's view: see RequestSubject). */
  controlsOf: (service: string) => `control.${token('service', service)}.>` as SubjectPattern<unknown, never>,
} as const;

/** JetStream streams: fills and order events are durable and de-duplicated. */
export const streams = {
  fills: { name: 'FILLS', subjects: ['fill.>'] },
  orderEvents: { name: 'ORDER_EVENTS', subjects: ['order.event.*'] },
} as const;

/** Last-value buckets (JetStream KV on NATS): what a late subscriber reads first. */
export const buckets = {
  /** `<venue>.<symbol>` → the last BookMessage. */
  lastBook: 'md-last-book',
  /** `<venue>.<symbol>` → the Instrument, written by the venue's gateway at start. */
  instruments: 'md-instruments',
} as const;

export const lastValueKey = (venue: string, symbol: string): string => `${venue}.${symbol}`;
