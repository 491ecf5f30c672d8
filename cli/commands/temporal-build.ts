import { resolveTemporalBinary } from '../local/temporal-binary.ts';

export async function temporalBuildCommand(): Promise<void> {
  const binary = await resolveTemporalBinary();
  console.log(binary.source === 'sdk-download' ? 'sdk-download' : binary.path);
}
