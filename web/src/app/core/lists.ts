import { Resource, Signal, computed, inject } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { ApiService } from './api.service';
import { Page } from './api.types';
import { latest } from './api-call';

/** What a page shows of a list read a page at a time, and what its pager needs. */
export interface PagedList<T> {
  /** The last loaded page's items, kept while the next page loads and after it fails. */
  items: Signal<T[]>;
  total: Signal<number>;
  offset: Signal<number>;
  /** True while a page is being read. */
  loading: Signal<boolean>;
  /** How many items a page holds at most: what the page asks for. */
  limit: number;
}

/** The parts of a paged resource that a list page shows (`resource` stays the page's, to reload or update). */
export function pagedList<T>(resource: Resource<Page<T> | undefined>, limit: number): PagedList<T> {
  const page = latest(resource);
  return {
    items: computed(() => page()?.items ?? []),
    total: computed(() => page()?.total ?? 0),
    offset: computed(() => page()?.offset ?? 0),
    loading: computed(() => resource.isLoading()),
    limit,
  };
}

/** The category names for a filter or a picker, read once; `resource` reloads them and reports a failure. */
export function categoryNames() {
  const api = inject(ApiService);
  const resource = rxResource({ stream: () => api.categories(), defaultValue: [] });
  const names = computed(() => (resource.hasValue() ? resource.value().map((c) => c.name) : []));
  return { resource, names };
}
