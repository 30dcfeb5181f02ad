thermal
