import type { SeedIndexId } from './report-top10.js';

/**
 * Illustrative inputs that complete the report's top-10 tables into full seed indices.
 * Nothing here comes from the 华证 report: the members ranked 11+ and their weights are a
 * plausible theme basket, and the prices are approximate 2025-03-19 closes (market.md §7 ranges
 * where it has them, otherwise rough recollections of March 2025 levels). A-share prices are on the
 * 0.01 tick; HK prices are on the HK spread table in force in March 2025 (before the Aug 2025 change).
 */
export const ILLUSTRATIVE_REFERENCE_PRICES: Readonly<Record<string, string>> = {
  // market.md §7 (a point inside the stated March 2025 range)
  '688041.SH': '148.50',
  '688316.SH': '52.36',
  '688158.SH': '27.45',
  '688256.SH': '668.00',
  '688981.SH': '98.20',
  '002261.SZ': '33.85',
  '601728.SH': '8.01',
  '300017.SZ': '11.38',
  '600050.SH': '5.62',
  '300383.SZ': '16.72',
  '300738.SZ': '21.36',
  '600602.SH': '25.90',
  '3896.HK': '10.12',
  '0700.HK': '521.00',
  '1024.HK': '57.35',
  '9988.HK': '138.60',
  // not in market.md: rough March 2025 levels
  '000977.SZ': '56.80',
  '603019.SH': '84.30',
  '002230.SZ': '50.12',
  '688111.SH': '305.88',
  '600941.SH': '107.50',
  '000938.SZ': '28.95',
  '300442.SZ': '46.20',
  '300418.SZ': '41.85',
  '300033.SZ': '289.50',
  '002415.SZ': '31.06',
  '300474.SZ': '84.12',
  '603881.SH': '32.60',
  '600845.SH': '31.40',
  '000034.SZ': '42.70',
  '300846.SZ': '17.36',
  '600588.SH': '14.86',
  '000032.SZ': '22.58',
  '9888.HK': '90.15',
  '9698.HK': '38.65',
  '0020.HK': '1.98',
  '0268.HK': '15.36',
};

/** Names of the illustrative members (securities' usual short names). */
export const ILLUSTRATIVE_MEMBER_NAMES: Readonly<Record<string, string>> = {
  '000977.SZ': '浪潮信息',
  '603019.SH': '中科曙光',
  '002230.SZ': '科大讯飞',
  '688111.SH': '金山办公',
  '600941.SH': '中国移动',
  '000938.SZ': '紫光股份',
  '300442.SZ': '润泽科技',
  '300418.SZ': '昆仑万维',
  '300033.SZ': '同花顺',
  '002415.SZ': '海康威视',
  '300474.SZ': '景嘉微',
  '603881.SH': '数据港',
  '600845.SH': '宝信软件',
  '000034.SZ': '神州数码',
  '300846.SZ': '首都在线',
  '600588.SH': '用友网络',
  '000032.SZ': '深桑达A',
  '688981.SH': '中芯国际',
  '601728.SH': '中国电信',
  '600050.SH': '中国联通',
  '300383.SZ': '光环新网',
  '9888.HK': '百度集团-SW',
  '9698.HK': '万国数据-SW',
  '0020.HK': '商汤-W',
  '0268.HK': '金蝶国际',
};

/**
 * Members ranked 11+ with illustrative weights (fractions). Each list sums to 1 minus the report's
 * top-10 total, and every weight is below the index's 10th report weight.
 */
export const ILLUSTRATIVE_MEMBERS: Readonly<Record<SeedIndexId, ReadonlyArray<readonly [string, string]>>> = {
  // A-share only; top-10 total 64.13 % → 35.87 % here. Servers/chips, AI software, data-rich names, IDC.
  '995365.SSI': [
    ['000977.SZ', '0.0360'],
    ['603019.SH', '0.0340'],
    ['002230.SZ', '0.0320'],
    ['688111.SH', '0.0300'],
    ['600941.SH', '0.0280'],
    ['000938.SZ', '0.0260'],
    ['300442.SZ', '0.0240'],
    ['300418.SZ', '0.0220'],
    ['300033.SZ', '0.0200'],
    ['002415.SZ', '0.0190'],
    ['300474.SZ', '0.0180'],
    ['603881.SH', '0.0170'],
    ['600845.SH', '0.0160'],
    ['000034.SZ', '0.0140'],
    ['300846.SZ', '0.0120'],
    ['600588.SH', '0.0107'],
  ],
  // A + HK; top-10 total 77.64 % → 22.36 % here.
  '995366.SSI': [
    ['9888.HK', '0.0320'],
    ['688981.SH', '0.0290'],
    ['601728.SH', '0.0260'],
    ['600050.SH', '0.0240'],
    ['300383.SZ', '0.0210'],
    ['002230.SZ', '0.0190'],
    ['9698.HK', '0.0170'],
    ['000977.SZ', '0.0150'],
    ['603019.SH', '0.0130'],
    ['688111.SH', '0.0110'],
    ['0020.HK', '0.0090'],
    ['300442.SZ', '0.0076'],
  ],
  // A + HK, IaaS and data centres; top-10 total 77.14 % → 22.86 % here.
  '995367.SSI': [
    ['9698.HK', '0.0350'],
    ['300442.SZ', '0.0320'],
    ['603881.SH', '0.0280'],
    ['9888.HK', '0.0240'],
    ['000938.SZ', '0.0210'],
    ['600845.SH', '0.0180'],
    ['601728.SH', '0.0160'],
    ['600050.SH', '0.0140'],
    ['300846.SZ', '0.0130'],
    ['0268.HK', '0.0110'],
    ['000977.SZ', '0.0100'],
    ['000032.SZ', '0.0066'],
  ],
};

/** Illustrative index-level settings. */
export const ILLUSTRATIVE_INITIAL_LEVEL = '1000';
/** CNY per 1 HKD, close to the PBoC parity of March 2025 (0.92294 on 2025-03-27, market.md §4). */
export const ILLUSTRATIVE_REFERENCE_FX = '0.9230';
/** Notional index market value M in CNY used for q_i = w_i × M / (P_i × FX_i). */
export const NOTIONAL_MARKET_VALUE = '1000000000';
