import type { Rng } from '../geometry/prng.ts';

// Common surnames, weighted toward those frequent around Ningbo (忻, 应, 史, 鲍, 竺 are local).
const SURNAMES = [
  '王',
  '陈',
  '张',
  '李',
  '周',
  '吴',
  '徐',
  '孙',
  '胡',
  '朱',
  '林',
  '郑',
  '沈',
  '杨',
  '俞',
  '应',
  '忻',
  '史',
  '鲍',
  '竺',
  '叶',
  '邵',
  '蒋',
  '毛',
  '汪',
  '董',
  '方',
  '金',
  '戴',
  '褚',
  '冯',
  '陆',
  '顾',
  '贺',
  '邬',
  '屠',
  '王',
  '陈',
  '张',
  '李',
  '周',
  '吴',
  '徐',
  '胡',
];

const GIVEN_FIRST = [
  '建',
  '国',
  '海',
  '伟',
  '静',
  '丽',
  '军',
  '明',
  '志',
  '晓',
  '惠',
  '雪',
  '立',
  '永',
  '春',
  '秀',
  '文',
  '佳',
  '宏',
  '亚',
  '德',
  '玲',
  '小',
  '红',
  '学',
  '燕',
  '振',
  '益',
  '杰',
  '美',
  '瑞',
  '思',
  '婷',
  '一',
  '浩',
  '嘉',
];

const GIVEN_SECOND = [
  '华',
  '明',
  '平',
  '英',
  '芳',
  '峰',
  '强',
  '敏',
  '军',
  '波',
  '萍',
  '良',
  '勇',
  '霞',
  '斌',
  '娟',
  '忠',
  '涛',
  '琴',
  '林',
  '杰',
  '飞',
  '艳',
  '刚',
  '辉',
  '洁',
  '龙',
  '颖',
  '磊',
  '珍',
  '宇',
  '超',
  '鸣',
  '雯',
  '君',
  '成',
];

/** A generator of plausible Chinese personal names, unique within one generator. */
export function createNamer(rng: Rng): () => string {
  const used = new Set<string>();
  return () => {
    for (let attempt = 0; attempt < 1000; attempt++) {
      const surname = rng.pick(SURNAMES);
      // About a quarter of names have a single-character given name.
      const given =
        rng.next() < 0.25 ? rng.pick(GIVEN_SECOND) : rng.pick(GIVEN_FIRST) + rng.pick(GIVEN_SECOND);
      const name = surname + given;
      if (!used.has(name)) {
        used.add(name);
        return name;
      }
    }
    throw new Error('ran out of distinct names');
  };
}

/** Chinese numerals for small ordinals in display names (1 -> 一). */
export function chineseOrdinal(n: number): string {
  const digits = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];
  if (n <= 10) return digits[n] ?? String(n);
  if (n < 20) return `十${digits[n - 10] ?? ''}`;
  return String(n);
}
