/**
 * The offline engine: runs the real program (`index.ts`) under Pulumi runtime mocks for
 * one stack's configuration and records every registration the way the engine sees it.
 * Tests assert on recorded inputs and resource options, never on values the mock echoes.
 * Layout and how to add a mock entry: docs/offline-engine.md.
 */
export * from "./stack-files";
export * from "./run";
export * from "./compare";
export { REPLACING_INPUTS } from "./replacements";
export {
    ACCOUNT_ID,
    FAMILIES,
    INSTANCE_TYPES,
    MOCK_OUTPUTS,
    OfflineMocks,
    STACK_REFERENCE,
    familyOf,
    missingEntryMessage,
    moduleOf,
} from "./mocks";
export type { MockFamily, MockOutputs, MockRequest, MockState } from "./mocks";
