/**
 * 图表11 「指数前十大成份股列表」 of the 华证指数 report 《指数问道系列之 AI 篇：第二期》
 * (2025-03-19), transcribed exactly: code, name and 最终权重 (final capped weight) as printed.
 * Names differ between the columns (e.g. 青云科技 vs 青云科技-U); each column is kept as printed.
 */
export type SeedIndexId = '995365.SSI' | '995366.SSI' | '995367.SSI';

export const SEED_INDEX_IDS: readonly SeedIndexId[] = ['995365.SSI', '995366.SSI', '995367.SSI'];

export interface ReportTop10Row {
  readonly rank: number;
  readonly symbol: string;
  readonly name: string;
  /** The printed 最终权重, e.g. '10.00%'. */
  readonly weight: string;
}

export const REPORT_SOURCE =
  '华证指数《指数问道系列之 AI 篇：第二期——DeepSeek 浪潮下的大模型主题投资机会》2025-03-19, 图表11 指数前十大成份股列表 (截至 2025 年 3 月 19 日)';

export const REPORT_AS_OF = '2025-03-19';

export const REPORT_INDEX_NAMES: Readonly<Record<SeedIndexId, string>> = {
  '995365.SSI': '华证AI大模型',
  '995366.SSI': '华证沪深港AI大模型',
  '995367.SSI': '华证沪深港AI云计算',
};

const rows = (list: ReadonlyArray<readonly [string, string, string]>): readonly ReportTop10Row[] =>
  list.map(([symbol, name, weight], i) => ({ rank: i + 1, symbol, name, weight }));

export const REPORT_TOP10: Readonly<Record<SeedIndexId, readonly ReportTop10Row[]>> = {
  '995365.SSI': rows([
    ['688041.SH', '海光信息', '10.00%'],
    ['688316.SH', '青云科技', '10.00%'],
    ['688158.SH', '优刻得', '10.00%'],
    ['688256.SH', '寒武纪-U', '7.50%'],
    ['688981.SH', '中芯国际', '5.00%'],
    ['002261.SZ', '拓维信息', '4.60%'],
    ['601728.SH', '中国电信', '4.39%'],
    ['300017.SZ', '网宿科技', '4.38%'],
    ['600050.SH', '中国联通', '4.28%'],
    ['300383.SZ', '光环新网', '3.98%'],
  ]),
  '995366.SSI': rows([
    ['688041.SH', '海光信息', '10.00%'],
    ['688158.SH', '优刻得', '10.00%'],
    ['688316.SH', '青云科技', '10.00%'],
    ['3896.HK', '金山云', '10.00%'],
    ['0700.HK', '腾讯控股', '7.50%'],
    ['1024.HK', '快手-W', '7.50%'],
    ['688256.SH', '寒武纪-U', '7.50%'],
    ['9988.HK', '阿里巴巴-W', '7.50%'],
    ['002261.SZ', '拓维信息', '3.91%'],
    ['300017.SZ', '网宿科技', '3.73%'],
  ]),
  '995367.SSI': rows([
    ['688316.SH', '青云科技-U', '10.00%'],
    ['688158.SH', '优刻得-W', '10.00%'],
    ['3896.HK', '金山云', '10.00%'],
    ['002261.SZ', '拓维信息', '7.50%'],
    ['0700.HK', '腾讯控股', '7.50%'],
    ['9988.HK', '阿里巴巴-W', '7.50%'],
    ['300017.SZ', '网宿科技', '7.50%'],
    ['300383.SZ', '光环新网', '7.50%'],
    ['300738.SZ', '奥飞数据', '5.44%'],
    ['600602.SH', '云赛智联', '4.20%'],
  ]),
};
