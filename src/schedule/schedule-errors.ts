/** Errors of the schedule layer. Each names the input at fault (`field`) so the API and CLI can say where. */
import { SluiceError } from '../errors.ts';

/** A schedule or trigger definition that cannot be used as given (bad cron, unknown zone, bad interval…). */
export class ScheduleInputError extends SluiceError {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super('SCHEDULE_INPUT_INVALID', message);
  }
}

/** A webhook call without the trigger's secret, or with a wrong one. */
export class TriggerAuthError extends SluiceError {
  constructor() {
    super('TRIGGER_UNAUTHENTICATED', "this trigger needs its secret in the 'X-Sluice-Trigger-Secret' header");
  }
}
