import type { CallerHandlers, Manager } from '../api/contract.ts';
import { forbidden } from '../api/apiFailure.ts';
import type { ServiceContext } from './context.ts';

/**
 * The manager acting at the desk: named by the manager at the start of a session (setDesk), held in memory only,
 * so that a restart asks again rather than recording yesterday's manager. A signed-in caller (a personal token)
 * is who their token says, and may not rename the desk.
 */
export class Desk {
  manager: Manager | null;

  constructor(manager: Manager | null = null) {
    this.manager = manager;
  }
}

export function createDeskService(
  context: ServiceContext,
  desk: Desk,
): Pick<CallerHandlers, 'getDesk' | 'setDesk'> {
  return {
    async getDesk(_input, caller) {
      return { mode: caller.via, manager: caller.manager };
    },

    async setDesk({ manager }, caller) {
      if (caller.via !== 'desk') {
        throw forbidden('a signed-in manager is who their token names: the desk cannot be renamed for them');
      }
      const previous = desk.manager;
      const actor = manager ?? previous;
      if (actor !== null) {
        context.audit.append({
          actor: actor.name,
          action: 'desk',
          clientId: null,
          details: {
            branch: actor.branch,
            event: manager === null ? 'left' : 'named',
            previous: previous?.name ?? null,
          },
        });
      }
      desk.manager = manager;
      return { mode: 'desk', manager };
    },
  };
}
