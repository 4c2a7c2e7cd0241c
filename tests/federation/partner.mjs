// A small partner subgraph for the federation test: it extends Kennisbank's Initiative
// and Event entities by key and offers its own picks, references to initiatives by id.
// Usage: node partner.mjs PORT   (PICKS="id,id" names the picks)
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';

const typeDefs = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  "An initiative of Kennisbank, with what the partner knows of it."
  type Initiative @key(fields: "id") {
    id: ID!
    "The partner's note on the initiative."
    partnerNote: String!
  }

  "An event of Kennisbank, with the partner's ticket count."
  type Event @key(fields: "id") {
    id: ID!
    "Tickets the partner holds for the event."
    partnerTickets: Int!
  }

  type Query {
    "The initiatives the partner recommends; an item is null where Kennisbank shows the viewer nothing."
    partnerPicks: [Initiative]!
  }
`);

const picks = (process.env.PICKS ?? '').split(',').filter(Boolean);
const initiative = (id) => ({ id, partnerNote: `Partnernotitie bij ${id}` });
const resolvers = {
  Query: { partnerPicks: () => picks.map(initiative) },
  Initiative: { __resolveReference: ({ id }) => initiative(id) },
  Event: { __resolveReference: ({ id }) => ({ id, partnerTickets: 42 }) },
};

const server = new ApolloServer({ schema: buildSubgraphSchema([{ typeDefs, resolvers }]) });
const { url } = await startStandaloneServer(server, {
  listen: { host: '127.0.0.1', port: Number(process.argv[2] ?? 4001) },
});
console.log(`partner ready at ${url}`);
