/**
 * ALB listener rule priority for a service, derived from its name alone so that adding or
 * removing another service never renumbers this one (rules with a changed priority would be
 * updated, briefly reordering routing). FNV-1a, then folded into 1..50000 (the ALB range).
 */
export function derivePriority(name: string): number {
    let hash = 0x811c9dc5;
    for (let i = 0; i < name.length; i++) {
        hash ^= name.charCodeAt(i);
        hash = Math.imul(hash, 0x01000193) >>> 0;
    }
    return 1 + (hash % 50000);
}
