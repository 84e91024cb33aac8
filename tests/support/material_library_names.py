"""The public names of the material modules (mes.<module>.__all__), pinned by a test."""

PUBLIC = {
    'barcode': [
        'GS', 'MalformedBarcode', 'UnknownApplicationIdentifier', 'check_digit', 'expiry_date', 'parse',
        'validate_gtin',
    ],
    'bom': [
        'BomNotFound', 'MODES', 'backflush', 'check_line', 'lines', 'plan_backflush', 'set_lines',
        'variance', 'variance_rows',
    ],
    'genealogy': [
        'DIRECTIONS', 'GenealogyCycle', 'UnitNotFound', 'add_edge', 'check_no_cycle', 'edges_sql',
        'find_cycle', 'resolve', 'root_sql', 'shape', 'stamp', 'trace', 'trace_sql',
    ],
    'inventory': [
        'ItemNotFound', 'WrongTracking', 'fmt', 'in_transaction', 'insert_unit', 'item_tracking',
        'journal', 'now', 'one', 'query', 'require_tracking', 'rows', 'shown', 'today_date', 'today_iso',
        'unit', 'update',
    ],
    'lot': [
        'InsufficientQuantity', 'InvalidQuantity', 'LotConsumed', 'LotExists', 'LotExpired', 'LotNotFound',
        'LotOnHold', 'LotQuarantined', 'MergeRejected', 'STATUSES', 'StatusChangeRefused',
        'check_quantity', 'check_transition', 'check_usable', 'expire_due', 'find', 'get', 'insert',
        'is_expired', 'merge', 'plan_merge', 'plan_split', 'receive', 'set_status', 'split',
        'usability_error',
    ],
    'material': [
        'BackflushedItem', 'LotOfAnotherItem', 'NoOutputUnit', 'ROLE_OPERATOR', 'UnknownBarcode',
        'WrongItem', 'WrongStation', 'WrongUnitOfMeasure', 'assign_gtin', 'check_item', 'check_uom',
        'close_output', 'consume', 'consume_qty', 'open_output', 'output_unit', 'pick_line',
        'report_production', 'resolve_scan',
    ],
    'scanpoint': [
        'DatabaseUnavailable', 'RESULT_TAGS', 'context', 'on_scan', 'recent',
    ],
    'serial': [
        'DuplicateSerial', 'STATUSES', 'SerialNotFound', 'SerialNotUsable', 'get', 'insert', 'register',
        'usability_error',
    ],
}
