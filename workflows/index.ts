/** The workflow bundle's entry point: every workflow type the workers run. */
export { provisionAccount } from './provision-account.ts';
