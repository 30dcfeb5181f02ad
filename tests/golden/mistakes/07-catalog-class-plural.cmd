# list a catalog class by its plural
catalog list lasers
