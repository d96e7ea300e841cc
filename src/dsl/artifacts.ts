/**
 * Artifact types. Each is usable directly as an input or output declaration (`inputs: { data: Dataset }`),
 * and derives list and optional variants. The schema title is a type argument, so a Model output fed to a
 * Dataset input fails in `tsc`; `system.Artifact` is the generic type every artifact fits, as in KFP.
 */

export interface ArtifactSpec<
  S extends string = string,
  L extends boolean = boolean,
  Opt extends boolean = boolean,
> {
  readonly kind: 'artifact';
  readonly schemaTitle: S;
  readonly schemaVersion: string;
  readonly isList: L;
  readonly isOptional: Opt;
  readonly description?: string;
}

export class ArtifactType<S extends string = string> implements ArtifactSpec<S, false, false> {
  readonly kind = 'artifact';
  readonly isList = false;
  readonly isOptional = false;

  constructor(
    readonly schemaTitle: S,
    readonly schemaVersion = '0.0.1',
  ) {}

  /** A list of artifacts of this type (a `Collected` fan-in, or a ParallelFor over artifacts). */
  list(options?: { optional?: false; description?: string }): ArtifactSpec<S, true, false>;
  list(options: { optional: true; description?: string }): ArtifactSpec<S, true, true>;
  list(options?: { optional?: boolean; description?: string }): ArtifactSpec<S, true, boolean> {
    return this.variant(true, options?.optional ?? false, options?.description);
  }

  /** An input the caller may leave unconnected. */
  optional(options?: { description?: string }): ArtifactSpec<S, false, true> {
    return this.variant(false, true, options?.description);
  }

  /** The same type with a description shown in the IR and the UI. */
  describe(description: string): ArtifactSpec<S, false, false> {
    return this.variant(false, false, description);
  }

  private variant<L extends boolean, O extends boolean>(
    isList: L,
    isOptional: O,
    description: string | undefined,
  ): ArtifactSpec<S, L, O> {
    return {
      kind: 'artifact',
      schemaTitle: this.schemaTitle,
      schemaVersion: this.schemaVersion,
      isList,
      isOptional,
      ...(description === undefined ? {} : { description }),
    };
  }
}

/** An artifact type of your own, e.g. `artifactType('acme.Embeddings')`; titles are `<namespace>.<Title>`. */
export function artifactType<const S extends string>(
  schemaTitle: S,
  schemaVersion = '0.0.1',
): ArtifactType<S> {
  if (!/^[A-Za-z_][\w-]*\.[A-Za-z_][\w.-]*$/.test(schemaTitle)) {
    throw new TypeError(
      `artifact type '${schemaTitle}' is not a schema title: use '<namespace>.<Title>', e.g. 'acme.Embeddings'`,
    );
  }
  return new ArtifactType(schemaTitle, schemaVersion);
}

export const Artifact = new ArtifactType('system.Artifact');
export const Dataset = new ArtifactType('system.Dataset');
export const Model = new ArtifactType('system.Model');
export const Metrics = new ArtifactType('system.Metrics');
export const ClassificationMetrics = new ArtifactType('system.ClassificationMetrics');
export const SlicedClassificationMetrics = new ArtifactType('system.SlicedClassificationMetrics');
export const HTML = new ArtifactType('system.HTML');
export const Markdown = new ArtifactType('system.Markdown');
