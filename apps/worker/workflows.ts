// The workflows the Cauce worker registers (its workflowsPath, and what scripts/bundle-workflows.mjs
// bundles): the flow interpreter from workflows/ and the upkeep jobs' workflows from upkeep/, which
// are not part of the flow runtime the UI and API import.
export * from '../../workflows';
export * from '../../upkeep/workflows';
