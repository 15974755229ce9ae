/**
 * What the custom fields page does over the network (admins): define a field (`POST
 * /api/v1/fields`), change one or archive and restore it (`PATCH /api/v1/fields/{id}`). The list
 * itself lives in the console's tools (`ConsoleState.loadFields`), where the dialog's header, the
 * visitor card and the list filter read it too; every saved field is handed back there.
 */
import type { Requester } from '../../shared/api';
import type { CustomFieldInput, CustomFieldView } from '../../shared/api-types';
import { Observable } from '../../shared/store';
import type { Problem } from '../console-state';

export interface FieldsHost {
  api: Requester;
  guard: (e: unknown) => Problem;
  fieldSaved: (field: CustomFieldView) => void;
}

export class FieldsState extends Observable {
  /** Ids of the fields being archived or restored from the list. */
  readonly busy = new Set<string>();

  constructor(private readonly host: FieldsHost) {
    super();
  }

  create(body: CustomFieldInput): Promise<CustomFieldView | Problem> {
    return this.save('POST', '/api/v1/fields', body);
  }

  update(id: string, body: CustomFieldInput): Promise<CustomFieldView | Problem> {
    return this.save('PATCH', `/api/v1/fields/${encodeURIComponent(id)}`, body);
  }

  /** Takes a field out of use (its values stay) or back into it. */
  async archive(id: string, archived: boolean): Promise<CustomFieldView | Problem> {
    this.busy.add(id);
    this.changed();
    try {
      return await this.update(id, { archived });
    } finally {
      this.busy.delete(id);
      this.changed();
    }
  }

  private async save(method: string, path: string, body: CustomFieldInput): Promise<CustomFieldView | Problem> {
    try {
      const saved = await this.host.api<CustomFieldView>(method, path, { body });
      this.host.fieldSaved(saved);
      return saved;
    } catch (e) {
      return this.host.guard(e);
    } finally {
      this.changed();
    }
  }
}
