/** RFC 9110's token characters: a product is `name` or `name/version` of them. */
const PRODUCT = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+(?:\/[A-Za-z0-9!#$%&'*+.^_`|~-]+)?$/;

/**
 * The product tokens of a user agent (`aws-nuke/3.56.2 aws-sdk-go/1.55.5 (go1.24.1; linux)` →
 * `aws-nuke/3.56.2`, `aws-sdk-go/1.55.5`): what a person is shown of a string the caller chose.
 * Comments and anything else (a URL, Markdown, a sentence) are left out.
 */
export function productTokens(userAgent: string | null | undefined): string[] {
  return (userAgent ?? '')
    .replace(/\([^)]*\)/g, ' ')
    .split(/\s+/)
    .filter((word) => word.length > 0 && word.length <= 128 && PRODUCT.test(word));
}
