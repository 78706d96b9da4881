import type { ChurnScoreInput, ChurnScoreOutput } from '../../contracts/activities';
import { invalidInput } from '../errors';
import { scoreChurnFeatures } from './churn-model';

/**
 * `scoreChurn`: a pure computation (see churn-model.ts), so retries are always safe. The result's
 * `contributions` explain the score per feature (log-odds added to the baseline).
 */
export function createScoringActivities() {
  return {
    async scoreChurn(input: ChurnScoreInput): Promise<ChurnScoreOutput> {
      const features = input.features ?? {};
      if (typeof features !== 'object' || Array.isArray(features)) throw invalidInput('scoreChurn: features must be an object');
      return scoreChurnFeatures(features);
    },
  };
}

export type ScoringActivities = ReturnType<typeof createScoringActivities>;
