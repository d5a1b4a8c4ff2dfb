import type { MakerYieldRuleSet } from '../rule-set.js';
import { sip5a } from './sip5a.js';
import { legacy } from './legacy.js';

/** The programmes by name; `sip5a` is the default. */
export const makerYieldRuleSets: Readonly<Record<'sip5a' | 'legacy', MakerYieldRuleSet>> = { sip5a, legacy };
export type MakerYieldRuleSetName = keyof typeof makerYieldRuleSets;
