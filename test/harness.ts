/**
 * Runs for the tests: on the stack fixtures under test/fixtures/stacks/, never on the
 * user's Pulumi.<stack>.yaml files, which they are free to edit. `stack` names the fixture
 * (and the stack the program sees) unless `fixture` says otherwise.
 */
import { ProgramRun, RunOptions, cachedRun, readFixture, runProgram } from "../tools/offline-engine";
import { StackConfig, loadStackConfig } from "../stacks";

const onFixture = (options: RunOptions): RunOptions => ({ fixture: options.stack, ...options });

/** A run shared by every test that asks for the same options; never modify it. */
export const fixtureRun = (options: RunOptions): Promise<ProgramRun> => cachedRun(onFixture(options));

/** A run of its own. */
export const fixtureProgram = (options: RunOptions): Promise<ProgramRun> => runProgram(onFixture(options));

/** A fixture's validated configuration. */
export const fixtureConfig = (name: string): StackConfig => loadStackConfig(readFixture(name));

/** The names of the services a fixture runs, in order: tests take them from here, not from literals. */
export const serviceNames = (name: string): string[] => fixtureConfig(name).services.apps.map((a) => a.name);

/** The services of the fixture a run ran: a suite follows a service added to one profile. */
export const appsIn = (r: ProgramRun): string[] => serviceNames(r.stack);

/** Settings that give a stack a trail of its own (the account's is the baseline's). */
export const OWN_TRAIL = { audit: { createTrail: true } };
