/**
 * The janitor's tags, each once: what a person sets to keep it away, what it sets on what it
 * creates or protects, and doctor's probe. The engine, the stack's policies (the member role's
 * CreateTags condition, the guard rail's SCP), doctor and the docs read them from here.
 */

/** A person's "leave this alone": on a default VPC, main route table, default security group or network ACL. */
export const IGNORE_TAG_KEY = 'account-janitor:ignore';
export const IGNORE_TAG_VALUE = 'true';
/** On what the janitor creates (internet gateways), valued with the run's start time. */
export const CREATED_TAG_KEY = 'account-janitor:created';
/** The guard rail's tag on the default path (protectDefaultPath): what its SCP keys on. */
export const PROTECT_TAG_KEY = 'account-janitor:protected';
export const PROTECT_TAG_VALUE = 'true';
/** doctor's probe: the tag of the throwaway route table it may create, write in and delete. */
export const PROBE_TAG_KEY = 'account-janitor:probe';
