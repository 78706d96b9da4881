// Entry for the TypeORM CLI: `npx typeorm -d dist/libs/db/typeorm-cli.js migration:show`.
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source';

if (!process.env.DATABASE_URL) throw new Error('Invalid configuration: DATABASE_URL is required by the TypeORM CLI');
export default new DataSource(dataSourceOptions(process.env.DATABASE_URL));
