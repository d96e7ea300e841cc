/** Errors every artifact store raises the same way, so the engine matches on `code` whatever the backend. */
import { SluiceError } from '../errors.ts';

/** `publish` found nothing at the staging location: the component did not write its output artifact. */
export class ArtifactNotWrittenError extends SluiceError {
  constructor(
    readonly uri: string,
    readonly path: string,
  ) {
    super(
      'ARTIFACT_NOT_WRITTEN',
      `nothing was written at ${path}: the component must create a file or a directory at its output artifact's path ({{$.outputs.artifacts['…'].path}}) before it exits`,
    );
  }
}

/** `publish` would overwrite an artifact that is already at its final URI. */
export class ArtifactAlreadyPublishedError extends SluiceError {
  constructor(readonly uri: string) {
    super('ARTIFACT_ALREADY_PUBLISHED', `${uri} is already published; an attempt publishes each output once`);
  }
}

/** A URI or path handed to a store is not one it manages (for example a staging path outside its root). */
export class ArtifactLocationError extends SluiceError {
  constructor(
    readonly location: string,
    reason: string,
  ) {
    super('ARTIFACT_LOCATION_INVALID', `${location}: ${reason}`);
  }
}
