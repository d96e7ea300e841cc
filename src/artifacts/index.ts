/**
 * Artifact storage: staging per attempt, atomic publish, content digests.
 *
 * @module
 */

export {
  ArtifactAlreadyPublishedError,
  ArtifactLocationError,
  ArtifactNotWrittenError,
} from './artifact-errors.ts';
export type { ArtifactStore, OutputLocation, PublishedArtifact, StagedArtifact } from './artifact-store.ts';
export { LocalArtifactStore } from './local/local-artifact-store.ts';
