/** 0 = buy, 1 = sell: the engine's compact side. */
export type SideCode = 0 | 1;
