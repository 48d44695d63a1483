/**
 * The clean-up tools' filters, applied as the tools apply them, so a test can say which resources a
 * config keeps. Read from the tools' sources, not from their docs alone:
 * - aws-nuke v3 filters: ekristen/libnuke 29dae5d59a41288f1ac1e7018fd1e1a7575fd9a9,
 *   pkg/filter/filter.go (`Filter.UnmarshalYAML`: a plain string is an exact filter on the legacy
 *   name, a missing type is exact, the group `default`; `Filters.Match`: `__global__` and the type's
 *   filters, OR within a group, AND across groups; `Filter.Match` per type, `invert` after it) and
 *   pkg/queue/item.go (`GetProperty`: no property → the resource's legacy string; a property the
 *   resource lacks → ""); the glob is github.com/mb0/glob (`*` and `?` never match `/`).
 * - cloud-nuke: gruntwork-io/cloud-nuke 8f6f88cb05ae3bad859ddeaf9a2f5008903ef7eb, config/config.go
 *   (`ShouldInclude`: names, time, then tags; the tag `cloud-nuke-excluded=true`; `matchesTags`: key
 *   exact, value regex against the lower-cased value, OR unless `tags_operator: AND`).
 * Go's RE2 is read as JavaScript's RegExp: the same for the plain expressions the presets write.
 * What is not modelled (a glob character class, a date filter's odd formats) throws, never guesses.
 */

/** A resource as aws-nuke's filters see it: its type, its properties, and its legacy string (its `String()`). */
export interface AwsNukeItem {
  readonly type: string;
  readonly properties: Readonly<Record<string, string>>;
  readonly legacy?: string;
}

interface ParsedFilter {
  readonly group: string;
  readonly type: string;
  readonly property: string;
  readonly value: string;
  readonly values: readonly string[];
  readonly invert: boolean;
}

const text = (value: unknown, field: string): string => {
  if (typeof value !== 'string') throw new Error(`aws-nuke reads a filter's ${field} as a string, not ${typeof value}`);
  return value;
};

/** One filter as `Filter.UnmarshalYAML` reads it. */
function parseFilter(raw: unknown): ParsedFilter {
  if (typeof raw === 'string')
    return { group: 'default', type: 'exact', property: '', value: raw, values: [], invert: false };
  const entry = raw as Record<string, unknown>;
  const invert = entry['invert'];
  return {
    group: entry['group'] === undefined ? 'default' : text(entry['group'], 'group'),
    type: entry['type'] === undefined ? 'exact' : text(entry['type'], 'type'),
    property: entry['property'] === undefined ? '' : text(entry['property'], 'property'),
    value: entry['value'] === undefined ? '' : text(entry['value'], 'value'),
    values: Array.isArray(entry['values']) ? entry['values'].map(String) : [],
    invert: invert === true || invert === 'true',
  };
}

/** mb0/glob's match: `*` any run of characters but `/`, `?` one character but `/`, the rest literal. */
export function globMatches(pattern: string, subject: string): boolean {
  if (/[[\\]/.test(pattern)) throw new Error(`glob ${pattern}: character classes and escapes are not modelled`);
  const body = [...pattern]
    .map((character) =>
      character === '*' ? '[^/]*' : character === '?' ? '[^/]' : character.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
    )
    .join('');
  return new RegExp(`^${body}$`).test(subject);
}

const GO_DURATION_UNITS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/** Go's time.ParseDuration, in milliseconds. */
export function goDurationMs(text: string): number {
  const match = /^([-+]?)((?:\d+(?:\.\d*)?(?:ns|us|µs|ms|s|m|h))+)$/.exec(text);
  if (!match) throw new Error(`time: invalid duration "${text}"`);
  let total = 0;
  for (const [, amount, unit] of (match[2] ?? '').matchAll(/(\d+(?:\.\d*)?)(ns|us|µs|ms|s|m|h)/g)) {
    total += Number(amount) * (GO_DURATION_UNITS[unit ?? ''] ?? NaN);
  }
  return match[1] === '-' ? -total : total;
}

function parseDate(value: string): number {
  if (/^-?\d+$/.test(value)) return Number(value) * 1000;
  if (/^\d{4}\/\d{2}\/\d{2}$/.test(value)) return Date.parse(`${value.replace(/\//g, '-')}T00:00:00Z`);
  if (/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2}))?$/.test(value)) {
    return Date.parse(value.length === 10 ? `${value}T00:00:00Z` : value);
  }
  throw new Error(`unable to parse time ${value}`);
}

/** `Filter.Match`: whether one filter matches a property's value (before `invert`). */
function filterMatches(filter: ParsedFilter, value: string, now: number): boolean {
  switch (filter.type) {
    case 'exact':
      return filter.value === value;
    case 'contains':
      return value.includes(filter.value);
    case 'glob':
      return globMatches(filter.value, value);
    case 'regex':
      return new RegExp(filter.value).test(value);
    case 'prefix':
      return value.startsWith(filter.value);
    case 'suffix':
      return value.endsWith(filter.value);
    case 'In':
      return filter.values.includes(value);
    case 'NotIn':
      return !filter.values.includes(value);
    case 'dateOlderThan':
      return value !== '' && parseDate(value) + goDurationMs(filter.value) > now;
    case 'dateOlderThanNow':
      return value !== '' && now + goDurationMs(filter.value) > parseDate(value);
    default:
      throw new Error(`unknown type ${filter.type}`);
  }
}

/**
 * Whether aws-nuke's filters (a `filters` map: resource type → filters) mark the item "filtered by
 * config", that is kept.
 */
export function awsNukeFilters(
  filters: Readonly<Record<string, readonly unknown[]>>,
  item: AwsNukeItem,
  now = Date.now(),
): boolean {
  const all = [...(filters['__global__'] ?? []), ...(filters[item.type] ?? [])].map(parseFilter);
  if (all.length === 0) return false;
  const groups = new Map<string, ParsedFilter[]>();
  for (const filter of all) groups.set(filter.group, [...(groups.get(filter.group) ?? []), filter]);
  return [...groups.values()].every((group) =>
    group.some((filter) => {
      const value = filter.property === '' ? item.legacy : (item.properties[filter.property] ?? '');
      // GetProperty's error (no legacy string): the filter is skipped.
      if (value === undefined) return false;
      return filterMatches(filter, value, now) !== filter.invert;
    }),
  );
}

/** The filters of a preset and of an account, as aws-nuke merges them (the account's, then each preset's). */
export function awsNukeAccountFilters(
  config: Record<string, unknown>,
  accountId: string,
): Record<string, readonly unknown[]> {
  const account = ((config['accounts'] ?? {}) as Record<string, Record<string, unknown> | undefined>)[accountId] ?? {};
  const presets = (config['presets'] ?? {}) as Record<string, { filters?: Record<string, unknown[]> }>;
  const merged: Record<string, unknown[]> = {};
  const append = (filters: Record<string, unknown[]> | undefined) => {
    for (const [type, list] of Object.entries(filters ?? {})) merged[type] = [...(merged[type] ?? []), ...list];
  };
  append(account['filters'] as Record<string, unknown[]> | undefined);
  for (const name of (account['presets'] ?? []) as string[]) {
    const preset = presets[name];
    if (!preset) throw new Error(`aws-nuke: the account names a preset that does not exist: ${name}`);
    append(preset.filters);
  }
  return merged;
}

/** A resource as cloud-nuke's `ResourceValue`: its name, tags (undefined: it has none), creation time. */
export interface CloudNukeValue {
  readonly name?: string;
  readonly tags?: Readonly<Record<string, string>>;
  readonly time?: Date;
}

interface FilterRule {
  readonly names_regex?: readonly string[];
  readonly tags?: Readonly<Record<string, string>>;
  readonly tags_operator?: string;
  readonly time_after?: string;
  readonly time_before?: string;
}

const anyMatches = (subject: string, expressions: readonly string[] = []) =>
  expressions.some((expression) => new RegExp(expression).test(subject));

function tagsMatch(tags: Readonly<Record<string, string>>, rule: FilterRule): boolean {
  const expressions = Object.entries(rule.tags ?? {});
  if (expressions.length === 0) return false;
  const one = ([key, expression]: [string, string]) =>
    tags[key] !== undefined && new RegExp(expression).test(tags[key].toLowerCase());
  return rule.tags_operator?.toUpperCase() === 'AND' ? expressions.every(one) : expressions.some(one);
}

/** Whether cloud-nuke would delete the resource (`ResourceType.ShouldInclude`) under a config's entry for its type. */
export function cloudNukeIncludes(
  config: Record<string, unknown>,
  resourceType: string,
  value: CloudNukeValue,
): boolean {
  const entry = (config[resourceType] ?? {}) as { include?: FilterRule; exclude?: FilterRule };
  const include = entry.include ?? {};
  const exclude = entry.exclude ?? {};
  const name = value.name ?? '';
  if (anyMatches(name, exclude.names_regex)) return false;
  if ((include.names_regex ?? []).length > 0 && !anyMatches(name, include.names_regex)) return false;
  if (include.time_after ?? include.time_before ?? exclude.time_after ?? exclude.time_before) {
    throw new Error('cloud-nuke time filters are not modelled');
  }
  const hasIncludeTags = Object.keys(include.tags ?? {}).length > 0;
  if (value.tags === undefined) return !hasIncludeTags;
  const excludedTag = value.tags['cloud-nuke-excluded'];
  if (excludedTag !== undefined && /true/.test(excludedTag.toLowerCase())) return false;
  if ('cloud-nuke-after' in value.tags) throw new Error('cloud-nuke-after is not modelled');
  if (tagsMatch(value.tags, exclude)) return false;
  return !hasIncludeTags || tagsMatch(value.tags, include);
}
