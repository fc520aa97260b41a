// The models travel with the client: `import PrefectClient` is enough to use them.
@_exported public import PrefectSchemas
