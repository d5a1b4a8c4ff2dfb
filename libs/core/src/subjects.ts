/**
 * NATS subject names, built in one place. Tokens are validated so a venue or
 * symbol can never inject a wildcard or an extra level.
 */
const TOKEN = /^[A-Za-z0-9_-]+$/;

function token(kind: string, value: string): string {
  if (!TOKEN.test(value)) throw new Error(`invalid ${kind} for a subject: ${JSON.stringify(value)}`);
  return value;
}

export const subjects = {
  book: (venue: string, symbol: string) => `md.book.${token('venue', venue)}.${token('symbol', symbol)}`,
  /** The venue's raw book changes (opt-in): see DepthMessage. */
  depth: (venue: string, symbol: string) => `md.depth.${token('venue', venue)}.${token('symbol', symbol)}`,
  bbo: (venue: string, symbol: string) => `md.bbo.${token('venue', venue)}.${token('symbol', symbol)}`,
  trade: (venue: string, symbol: string) => `md.trade.${token('venue', venue)}.${token('symbol', symbol)}`,
  mark: (venue: string, symbol: string) => `md.mark.${token('venue', venue)}.${token('symbol', symbol)}`,
  status: (venue: string) => `md.status.${token('venue', venue)}`,
  arbOpportunity: (symbol: string) => `arb.opportunity.${token('symbol', symbol)}`,
  arbStats: () => 'arb.stats',
  arbEpisode: (symbol: string) => `arb.episode.${token('symbol', symbol)}`,
  quoteIntent: (strategy: string) => `intent.quote.${token('strategy', strategy)}`,
  orderIntent: (strategy: string) => `intent.order.${token('strategy', strategy)}`,
  orderCommand: (venue: string) => `order.cmd.${token('venue', venue)}`,
  orderEvent: (venue: string) => `order.event.${token('venue', venue)}`,
  fill: (venue: string, symbol: string) => `fill.${token('venue', venue)}.${token('symbol', symbol)}`,
  /** Names the venue: two venues' positions on one account and symbol are two positions. */
  position: (venue: string, account: string, symbol: string) => `position.${token('venue', venue)}.${token('account', account)}.${token('symbol', symbol)}`,
  /** FundingPayment, once booked into the store by the venue's router: position holders re-read the position. */
  funding: (venue: string, account: string, symbol: string) => `funding.${token('venue', venue)}.${token('account', account)}.${token('symbol', symbol)}`,
  strategyStats: (strategy: string) => `strategy.stats.${token('strategy', strategy)}`,
  riskState: () => 'risk.state',
  riskReject: () => 'risk.reject',
  /** StrategyYieldMessage: a strategy's maker-yield standing. */
  strategyYield: (strategy: string) => `strategy.yield.${token('strategy', strategy)}`,
  control: (service: string, verb: string) => `control.${token('service', service)}.${token('verb', verb)}`,
  /**
   * One strategy's controls (pause, resume, params): the quoter hosting it
   * answers, so several quoters never answer for each other's strategies.
   */
  strategyControl: (verb: 'pause' | 'resume' | 'params', strategy: string) => `control.quoter.${verb}.${token('strategy', strategy)}`,
  /** Every control action taken through a dashboard replica (who, when, what, outcome), so all replicas show one log. */
  controlAudit: () => 'control.audit',
} as const;

/** Wildcard patterns for subscribers. */
export const patterns = {
  allBooks: 'md.book.>',
  allBbo: 'md.bbo.>',
  booksOf: (venue: string) => `md.book.${token('venue', venue)}.*`,
  allDepth: 'md.depth.>',
  depthOf: (venue: string) => `md.depth.${token('venue', venue)}.*`,
  allTrades: 'md.trade.>',
  tradesOf: (venue: string) => `md.trade.${token('venue', venue)}.*`,
  allMarks: 'md.mark.>',
  allStatus: 'md.status.*',
  allQuoteIntents: 'intent.quote.*',
  allOrderIntents: 'intent.order.*',
  allOrderEvents: 'order.event.*',
  allFills: 'fill.>',
  allPositions: 'position.>',
  allFunding: 'funding.>',
  allArbOpportunities: 'arb.opportunity.>',
  allStrategyStats: 'strategy.stats.*',
  allStrategyYield: 'strategy.yield.*',
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
