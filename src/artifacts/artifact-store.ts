/**
 * Artifact storage behind one interface (local directory by default, S3-compatible later). The contract,
 * checked for every backend by test/contracts/artifact-store.contract.ts:
 *
 * - `prepareOutput` gives a fresh, empty, private staging location per attempt and output; nothing there is
 *   visible under the final URI until `publish`.
 * - `publish` makes the staged content appear at its final URI atomically (all of it or nothing) and
 *   returns its digest; a failed, killed or timed-out attempt's staging is dropped with `discard`.
 * - Final URIs are unique per attempt, so a retry never overwrites what another attempt published.
 * - Stores do not retry; callers decide.
 */

export interface OutputLocation {
  pipelineName: string;
  runId: string;
  /** The task's path in the run, e.g. `for-loop-2[0]/train`. */
  taskPath: string;
  attemptId: string;
  outputName: string;
}

export interface StagedArtifact {
  /** Where the artifact will be once published (what the component sees as `.uri`). */
  uri: string;
  /** Local path the component writes to (`.path`): a file or a directory it creates. */
  path: string;
}

export interface PublishedArtifact {
  uri: string;
  /** `sha256:<hex>` over the content; for a directory, over its sorted relative paths and file digests. */
  digest: string;
  sizeBytes: number;
}

export interface ArtifactStore {
  /** Reserves a staging location for one output of one attempt (creates its parent directory). */
  prepareOutput(location: OutputLocation): Promise<StagedArtifact>;
  /** Moves staged content to its final URI atomically; fails if the component wrote nothing there. */
  publish(staged: StagedArtifact): Promise<PublishedArtifact>;
  /** Drops a staging location (after a failed attempt); no error if it does not exist. */
  discard(staged: StagedArtifact): Promise<void>;
  /** The local path of a published artifact, for executors that run on this machine; undefined if not local. */
  localPath(uri: string): string | undefined;
  exists(uri: string): Promise<boolean>;
  /** Digest of content already at a URI this store can read (imported artifacts); undefined otherwise. */
  digestOf(uri: string): Promise<PublishedArtifact | undefined>;
}
