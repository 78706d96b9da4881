/** Seed journeys: complete, valid example flows. */
import type { FlowDefinition } from '../types';
import { abExperiment } from './ab-experiment';
import { abandonedCart } from './abandoned-cart';
import { churnRouting } from './churn-routing';
import { supportTriage } from './support-triage';

export { abExperiment, abandonedCart, churnRouting, supportTriage };

export const EXAMPLE_FLOWS: Readonly<Record<'supportTriage' | 'abandonedCart' | 'churnRouting' | 'abExperiment', FlowDefinition>> = {
  supportTriage,
  abandonedCart,
  churnRouting,
  abExperiment,
};
